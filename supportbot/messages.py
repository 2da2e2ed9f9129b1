"""Everything the bot says in its own words, in both languages."""

from faq.languages import Language

_CATALOG: dict[str, dict[Language, str]] = {
    "help_intro": {
        Language.ZH: "我可以回答微信小程序与腾讯云账号绑定的问题。直接提问，例如 `/wxbind 怎么解绑小程序`；"
        "`/wxbind diagnose` 一步步排查授权异常；`/wxbind en …` 用英文回答。也可以点一个主题：",
        Language.EN: "I answer questions about binding WeChat mini programs to Tencent Cloud. Ask, e.g. "
        "`/wxbind how do I unbind my mini program`; `/wxbind diagnose` walks through an authorization "
        "exception step by step; `/wxbind zh …` answers in Chinese. Or pick a topic:",
    },
    "you_asked": {Language.ZH: "你的问题：", Language.EN: "You asked: "},
    "did_it_help": {Language.ZH: "这个回答解决问题了吗？", Language.EN: "Did this solve it?"},
    "yes": {Language.ZH: "解决了", Language.EN: "Yes"},
    "no": {Language.ZH: "没解决", Language.EN: "No"},
    "open_case": {Language.ZH: "提交工单", Language.EN: "Open a case"},
    "share": {Language.ZH: "分享到频道", Language.EN: "Share in channel"},
    "full_answer": {Language.ZH: "查看完整回答", Language.EN: "Read the full answer"},
    "also_related": {Language.ZH: "也可能是：", Language.EN: "Also close:"},
    "choices": {
        Language.ZH: "我不确定你问的是哪一个，最接近的是：",
        Language.EN: "I'm not sure which of these you mean. The closest are:",
    },
    "nothing": {
        Language.ZH: "没有找到能回答这个问题的条目。可以看看这些主题，或者提交工单：",
        Language.EN: "I found no answer to that. Try one of these topics, or open a case:",
    },
    "thanks_helpful": {Language.ZH: "太好了，感谢反馈！", Language.EN: "Glad it helped. Thanks for telling us!"},
    "sorry_not_helpful": {
        Language.ZH: "抱歉没能解决。你可以提交工单，让支持人员跟进：",
        Language.EN: "Sorry it didn't help. Open a case and support will follow up:",
    },
    "shared_by": {Language.ZH: "{user} 分享了这个回答", Language.EN: "Shared by {user}"},
    "continued": {Language.ZH: "（续）", Language.EN: "(continued)"},
    "diagnose": {Language.ZH: "一步步排查", Language.EN: "Diagnose step by step"},
    "diagnosis_title": {Language.ZH: "授权异常排查", Language.EN: "Authorization exception diagnosis"},
    "diagnosis_step": {Language.ZH: "第 {number}/{total} 步", Language.EN: "Step {number} of {total}"},
    "how_to_check": {Language.ZH: "怎么检查：", Language.EN: "How to check:"},
    "diagnosis_found": {Language.ZH: "找到原因了", Language.EN: "Found the cause"},
    "diagnosis_exhausted": {
        Language.ZH: "四个常见原因都排除了。请提交工单，支持人员会看到你已经排除的原因。",
        Language.EN: "None of the usual causes fits. Open a case; support will see which causes you ruled out.",
    },
    "ruled_out": {Language.ZH: "已排除：", Language.EN: "Ruled out: "},
    "start_over": {Language.ZH: "重新开始", Language.EN: "Start over"},
    "unknown_topic": {
        Language.ZH: "这个主题已不存在或未发布。试试 `/wxbind help`。",
        Language.EN: "That topic no longer exists or is unpublished. Try `/wxbind help`.",
    },
    "no_diagnosis": {
        Language.ZH: "还没有配置排查步骤。请联系支持团队。",
        Language.EN: "No diagnosis steps are set up yet. Please contact the support team.",
    },
    "stale_action": {
        Language.ZH: "这个按钮已过期，请重新提问。",
        Language.EN: "That button has expired. Please ask again.",
    },
    "case_modal_title": {Language.ZH: "提交工单", Language.EN: "Open a case"},
    "case_submit": {Language.ZH: "提交", Language.EN: "Open case"},
    "cancel": {Language.ZH: "取消", Language.EN: "Cancel"},
    "case_description": {Language.ZH: "遇到了什么问题？", Language.EN: "What is going wrong?"},
    "case_description_hint": {
        Language.ZH: "不要填写 AppSecret、SecretKey 或密码；如果填了，我们会遮盖。",
        Language.EN: "Never include an AppSecret, SecretKey or password; if you do, we mask it.",
    },
    "case_account_id": {Language.ZH: "腾讯云账号 ID", Language.EN: "Tencent Cloud account ID"},
    "case_appid": {Language.ZH: "小程序 AppID", Language.EN: "Mini Program AppID"},
    "case_account_kind": {Language.ZH: "账号类型", Language.EN: "Account kind"},
    "kind_main": {Language.ZH: "主账号", Language.EN: "Main account"},
    "kind_sub": {Language.ZH: "子账号", Language.EN: "Sub-account"},
    "kind_via_miniprogram": {Language.ZH: "用小程序注册的账号", Language.EN: "Registered through a mini program"},
    "case_topic": {Language.ZH: "相关主题：", Language.EN: "Topic: "},
    "case_opened": {
        Language.ZH: "工单 {number} 已提交。支持人员会在这里回复你。",
        Language.EN: "Case {number} is open. Support will get back to you here.",
    },
    "case_masked": {
        Language.ZH: "为了安全，你的描述中看起来像 {kinds} 的内容已被遮盖。请不要在聊天中分享密钥。",
        Language.EN: "For your safety we masked what looked like {kinds} in your description. "
        "Never share secrets in chat.",
    },
    "case_not_found": {Language.ZH: "找不到工单 {number}。", Language.EN: "There is no case {number} you can see."},
    "case_none": {Language.ZH: "你没有进行中的工单。", Language.EN: "You have no open cases."},
    "case_list": {Language.ZH: "你进行中的工单：", Language.EN: "Your open cases:"},
    "case_refused": {Language.ZH: "没有执行：{reason}", Language.EN: "Nothing changed: {reason}"},
}


def say(key: str, language: Language, **values: str) -> str:
    text = _CATALOG[key][language]
    return text.format(**values) if values else text
