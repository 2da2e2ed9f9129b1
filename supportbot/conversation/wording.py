"""Everything the bot says in its own words, in both languages: one catalog for every front end."""

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
        Language.ZH: "为了安全，工单中看起来像 {kinds} 的内容已被遮盖。请不要在聊天中分享密钥。",
        Language.EN: "For your safety we masked what looked like {kinds} in your case. Never share secrets in chat.",
    },
    "case_not_found": {Language.ZH: "找不到工单 {number}。", Language.EN: "There is no case {number} you can see."},
    "case_none": {Language.ZH: "你没有进行中的工单。", Language.EN: "You have no open cases."},
    "case_list": {Language.ZH: "你进行中的工单：", Language.EN: "Your open cases:"},
    "case_refused": {Language.ZH: "没有执行：{reason}", Language.EN: "Nothing changed: {reason}"},
    "refused_not_agent": {
        Language.ZH: "只有支持人员可以{move}工单 {number}。",
        Language.EN: "Only support agents can {move} case {number}.",
    },
    "refused_illegal": {
        Language.ZH: "工单 {number} 现在是“{state}”，不能这样操作。",
        Language.EN: "Case {number} is {state}; that move does not apply.",
    },
    "verb_assign": {Language.ZH: "分配", Language.EN: "assign"},
    "verb_wait": {Language.ZH: "设为等待", Language.EN: "put on hold"},
    "verb_reporter_replied": {Language.ZH: "更新", Language.EN: "update"},
    "verb_resolve": {Language.ZH: "解决", Language.EN: "resolve"},
    "verb_reopen": {Language.ZH: "重新打开", Language.EN: "reopen"},
    "verb_close": {Language.ZH: "关闭", Language.EN: "close"},
    "case_gone": {Language.ZH: "这个工单已不存在", Language.EN: "that case no longer exists"},
    "case_describe": {Language.ZH: "请描述遇到的问题。", Language.EN: "Please describe the problem."},
    "went_wrong": {
        Language.ZH: "抱歉，处理这个请求时出错了，请稍后再试。",
        Language.EN: "Sorry, something went wrong with that. Please try again in a moment.",
    },
    # The case card agents work from, and its thread.
    "card_title": {Language.ZH: "工单 {number} · {state}", Language.EN: "Case {number} · {state}"},
    "card_reporter": {Language.ZH: "报告人", Language.EN: "Reporter"},
    "card_assignee": {Language.ZH: "负责人", Language.EN: "Assignee"},
    "card_topic": {Language.ZH: "主题", Language.EN: "Topic"},
    "card_appid": {Language.ZH: "AppID", Language.EN: "AppID"},
    "card_account": {Language.ZH: "腾讯云账号", Language.EN: "Tencent Cloud account"},
    "card_account_kind": {Language.ZH: "账号类型", Language.EN: "Account kind"},
    "card_ruled_out": {Language.ZH: "已排除", Language.EN: "Ruled out"},
    "card_asked": {Language.ZH: "提问", Language.EN: "Asked"},
    "card_from": {Language.ZH: "来自 {platform}", Language.EN: "From {platform}"},
    "assign_me": {Language.ZH: "分配给我", Language.EN: "Assign to me"},
    "assign_to": {Language.ZH: "分配给…", Language.EN: "Assign to…"},
    "assign": {Language.ZH: "分配", Language.EN: "Assign"},
    "choose_assignee": {Language.ZH: "请先选择要分配给谁。", Language.EN: "Choose whom to assign it to first."},
    "case_form_fix": {Language.ZH: "请修改下面标出的内容。", Language.EN: "Please fix what is marked below."},
    "channel_ready": {
        Language.ZH: "wxbind 已加入。要让新工单发到这个频道，请把 {setting} 设为：{conversation}",
        Language.EN: "wxbind is here. To have new cases posted in this channel, set {setting} to: {conversation}",
    },
    "move_wait": {Language.ZH: "等待报告人", Language.EN: "Waiting on reporter"},
    "move_resolve": {Language.ZH: "标记解决", Language.EN: "Resolve"},
    "move_reopen": {Language.ZH: "重新打开", Language.EN: "Reopen"},
    "move_close": {Language.ZH: "关闭", Language.EN: "Close"},
    "moved": {Language.ZH: "{actor}：{from_state} → {to_state}", Language.EN: "{actor}: {from_state} → {to_state}"},
    "state_open": {Language.ZH: "待分配", Language.EN: "open"},
    "state_assigned": {Language.ZH: "处理中", Language.EN: "assigned"},
    "state_waiting": {Language.ZH: "等待报告人", Language.EN: "waiting on reporter"},
    "state_resolved": {Language.ZH: "已解决", Language.EN: "resolved"},
    "state_closed": {Language.ZH: "已关闭", Language.EN: "closed"},
    "kind_unknown": {Language.ZH: "—", Language.EN: "—"},
    # Follow-ups.
    "remind_unassigned": {
        Language.ZH: "工单 {number} 还没有人负责。",
        Language.EN: "Case {number} is still waiting for an agent.",
    },
    "remind_agent": {
        Language.ZH: "提醒：工单 {number} 已经有一段时间没有进展了，请回复报告人或推进处理。",
        Language.EN: "Reminder: case {number} has had no activity for a while. Reply to the reporter or move it on.",
    },
    "remind_reporter": {
        Language.ZH: "工单 {number} 的解决办法有效吗？",
        Language.EN: "Did the fix work for case {number}?",
    },
    "reporter_resolved": {Language.ZH: "已解决", Language.EN: "Resolved"},
    "reporter_still_broken": {Language.ZH: "还是不行", Language.EN: "Still broken"},
    "auto_resolved": {
        Language.ZH: "由于没有收到回复，工单 {number} 已标记为解决。如需重新打开，请输入 {reopen}。",
        Language.EN: "We resolved case {number} as we did not hear back. Type {reopen} to reopen it.",
    },
    "escalation": {
        Language.ZH: "升级（第 {level} 级）：工单 {number} 未在服务时限内解决。",
        Language.EN: "Escalation level {level}: case {number} is not resolved within the SLA.",
    },
    "system": {Language.ZH: "系统", Language.EN: "system"},
    # Messages relayed through a case.
    "relay_from_agent": {Language.ZH: "{author} · 工单 {number}", Language.EN: "{author} · case {number}"},
    "relay_from_reporter": {
        Language.ZH: "报告人 {author} · 工单 {number}",
        Language.EN: "Reporter {author} · case {number}",
    },
    "support_agent": {Language.ZH: "支持人员", Language.EN: "Support"},
    "relay_files": {Language.ZH: "附件：", Language.EN: "Files:"},
    "which_case": {
        Language.ZH: "你有几个未结的工单。这条消息是关于哪一个的？",
        Language.EN: "You have several open cases. Which one is this message about?",
    },
    "sent_to_case": {
        Language.ZH: "已转给工单 {number} 的支持人员。",
        Language.EN: "Sent to the agents of case {number}.",
    },
    "held_gone": {
        Language.ZH: "这条消息已经转过了。",
        Language.EN: "That message was passed on already.",
    },
    "case_choice": {Language.ZH: "工单 {number}：{summary}", Language.EN: "Case {number}: {summary}"},
    # The weekly digest.
    "digest_title": {Language.ZH: "支持周报：{start} 至 {end}", Language.EN: "Support this week: {start} to {end}"},
    "digest_questions": {Language.ZH: "提问", Language.EN: "Questions"},
    "digest_deflection": {
        Language.ZH: "直接解决（回答后一天内没有提交工单）",
        Language.EN: "Answered without a case within a day",
    },
    "digest_cases": {Language.ZH: "工单：新开 / 解决", Language.EN: "Cases opened / resolved"},
    "digest_first_response": {
        Language.ZH: "首次响应（中位数，工作小时）",
        Language.EN: "First response (median, business hours)",
    },
    "digest_resolution": {
        Language.ZH: "解决用时（中位数，工作小时）",
        Language.EN: "Time to resolve (median, business hours)",
    },
    "digest_sla": {Language.ZH: "超出服务时限", Language.EN: "SLA breaches"},
    "digest_unanswered": {Language.ZH: "没能回答的问题（前 5 个）", Language.EN: "Top unanswered questions"},
    "digest_none_unanswered": {
        Language.ZH: "没有——每个问题都有了回答。",
        Language.EN: "None: every question found an answer.",
    },
    "digest_teach": {Language.ZH: "教机器人回答它们", Language.EN: "Teach the bot to answer them"},
    "digest_times": {Language.ZH: "{count} 次", Language.EN: "{count}×"},
    # The survey after a case is resolved.
    "survey": {
        Language.ZH: "工单 {number} 已解决。我们的支持怎么样？请打分（1 = 很差，5 = 很好）：",
        Language.EN: "Case {number} is resolved. How did we do? Rate us (1 = poor, 5 = great):",
    },
    "survey_comment": {Language.ZH: "想说点什么吗？（可选）", Language.EN: "Anything to add? (optional)"},
    "survey_placeholder": {
        Language.ZH: "先写评论，再点分数",
        Language.EN: "Type a comment first, then pick a score",
    },
    "survey_thanks": {
        Language.ZH: "谢谢！你给工单 {number} 打了 {score}/5。",
        Language.EN: "Thank you! You rated case {number} {score}/5.",
    },
    "survey_once": {
        Language.ZH: "工单 {number} 已经评过分了，谢谢！",
        Language.EN: "Case {number} was rated already. Thank you!",
    },
    "survey_not_yet": {
        Language.ZH: "工单 {number} 解决后才能评分。",
        Language.EN: "Case {number} can be rated once it is resolved.",
    },
    "rated": {
        Language.ZH: "{actor} 给这次支持打了 {score}/5",
        Language.EN: "{actor} rated the support {score}/5",
    },
    # The command line.
    "cli_more": {
        Language.ZH: "查看某个主题：python manage.py wxbind <方括号里的名称>",
        Language.EN: "To read one: python manage.py wxbind <name in brackets>",
    },
    "cli_help": {
        Language.ZH: "我可以回答微信小程序与腾讯云账号绑定的问题。直接提问，或者看一个主题：",
        Language.EN: "I answer questions about binding WeChat mini programs to Tencent Cloud. Ask, or read a topic:",
    },
    "cli_no_form": {
        Language.ZH: "在聊天中输入 /wxbind case 提交工单，或者使用 API：POST /api/cases/。",
        Language.EN: "Open a case from chat (/wxbind case) or through the API (POST /api/cases/).",
    },
}


def say(key: str, language: Language, **values: str) -> str:
    text = _CATALOG[key][language]
    return text.format(**values) if values else text
