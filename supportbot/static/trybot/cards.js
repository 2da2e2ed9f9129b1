// Teams cards drawn by Microsoft's Adaptive Cards renderer (npm "adaptivecards"), styled as Teams' light theme.
// Used by Try the bot and the admin's entry preview. Without the renderer a card is shown as its JSON.
window.wxbindCards = (() => {
  const available = typeof window.AdaptiveCards !== "undefined";
  let hostConfig = null;
  if (available) {
    if (typeof window.markdownit !== "undefined") {
      // Teams renders a subset of Markdown in TextBlocks; raw HTML in the text stays text.
      const markdown = window.markdownit({html: false, linkify: false, breaks: true});
      AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
        result.outputHtml = markdown.render(text);
        result.didProcess = true;
      };
    }
    const text = (color, subtle) => ({default: color, subtle: subtle || color});
    hostConfig = new AdaptiveCards.HostConfig({
      fontFamily: "'Segoe UI', system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif",
      supportsInteractivity: true,
      spacing: {small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16},
      separator: {lineThickness: 1, lineColor: "#E1DFDD"},
      fontSizes: {small: 12, default: 14, medium: 14, large: 18, extraLarge: 24},
      fontWeights: {lighter: 300, default: 400, bolder: 600},
      containerStyles: {
        default: {
          backgroundColor: "#FFFFFF",
          foregroundColors: {
            default: text("#242424", "#616161"), dark: text("#252424"), light: text("#FFFFFF"),
            accent: text("#5B5FC7", "#6264A7"), good: text("#237B4B"), warning: text("#835C00"),
            attention: text("#C4314B"),
          },
        },
        emphasis: {
          backgroundColor: "#F5F5F5",
          foregroundColors: {default: text("#242424", "#616161"), accent: text("#5B5FC7"), attention: text("#C4314B")},
        },
      },
      actions: {
        maxActions: 6, spacing: "default", buttonSpacing: 8, actionsOrientation: "horizontal",
        actionAlignment: "left", showCard: {actionMode: "inline", inlineTopMargin: 8},
      },
    });
  }

  // content: the card's JSON; onSubmit(data): a submit pressed, with the inputs' values in data.
  function render(content, onSubmit) {
    const wrapper = document.createElement("div");
    wrapper.className = "teams-card";
    if (!available) {
      const json = document.createElement("pre");
      json.className = "teams-card-json";
      json.textContent = JSON.stringify(content, null, 1);
      wrapper.appendChild(json);
      return wrapper;
    }
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = (action) => {
      if (action instanceof AdaptiveCards.OpenUrlAction) {
        window.open(action.url, "_blank", "noopener");
      } else if (onSubmit) {
        onSubmit(action.data || {});
      }
    };
    card.parse(content);
    const element = card.render();
    if (element) wrapper.appendChild(element);
    return wrapper;
  }

  return {available, render};
})();
