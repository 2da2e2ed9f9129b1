// Try the bot: sends what is typed and every button back to the server in the shape its platform sends,
// and shows each reply twice: as Slack shows it (server-rendered Block Kit) and as Teams shows it (a card).
(() => {
  const root = document.getElementById("wxbind-try");
  if (!root) return;
  const log = document.getElementById("try-log");
  const form = document.getElementById("try-form");
  const input = document.getElementById("try-text");
  const language = document.getElementById("try-language");

  function csrfToken() {
    const found = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return found ? decodeURIComponent(found.slice("csrftoken=".length)) : "";
  }

  async function post(url, body) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({error: response.statusText}));
      if (!response.ok) throw new Error(data.error || response.statusText);
      return data;
    } catch (error) {
      const note = document.createElement("p");
      note.className = "try-error";
      note.setAttribute("role", "alert");
      note.textContent = `${root.dataset.errorText} ${error.message}`;
      log.appendChild(note);
      note.scrollIntoView({block: "nearest"});
      return null;
    }
  }

  // The conversation ------------------------------------------------------------------------

  function said(text) {
    const bubble = document.createElement("div");
    bubble.className = "try-said";
    bubble.textContent = text;
    log.appendChild(bubble);
  }

  function show(turns) {
    for (const turn of turns || []) {
      const row = document.createElement("div");
      row.className = "try-columns try-turn";
      row.append(slackColumn(turn.slack), teamsColumn(turn.teams));
      log.appendChild(row);
    }
    if (log.lastElementChild) log.lastElementChild.scrollIntoView({block: "nearest"});
  }

  // Slack -------------------------------------------------------------------------------------

  function slackColumn(slack) {
    const column = document.createElement("div");
    column.className = "try-pane slack-pane";
    for (const html of slack.messages) column.appendChild(slackMessage(html));
    if (slack.modal) column.appendChild(slackModal(slack.modal, slack.form));
    return column;
  }

  function slackMessage(html) {
    const message = document.createElement("div");
    message.className = "sk-message";
    message.innerHTML =
      '<div class="sk-avatar" aria-hidden="true">wx</div><div class="sk-content">' +
      '<div class="sk-sender">wxbind <span class="sk-app">APP</span></div><div class="sk-blocks"></div></div>';
    message.querySelector(".sk-blocks").innerHTML = html; // rendered and escaped by the server
    return message;
  }

  function slackModal(html, formId) {
    const holder = document.createElement("div");
    holder.className = "sk-modal-holder";
    holder.innerHTML = html; // rendered and escaped by the server
    const modal = holder.querySelector("form.sk-modal");
    modal.querySelector("[data-modal-close]").addEventListener("click", () => holder.remove());
    modal.addEventListener("submit", async (event) => {
      event.preventDefault();
      const values = {};
      for (const block of modal.querySelectorAll("[data-block-id]")) {
        const control = block.querySelector("input, textarea, select");
        if (!control) continue;
        values[block.dataset.blockId] = control.tagName === "SELECT"
          ? {value: {type: "static_select", selected_option: control.value ? {value: control.value} : null}}
          : {value: {type: "plain_text_input", value: control.value || null}};
      }
      const view = {private_metadata: modal.dataset.privateMetadata, state: {values}};
      const answer = await post(root.dataset.actUrl, {platform: "slack", form: formId, view});
      if (!answer) return;
      for (const error of modal.querySelectorAll(".sk-error")) error.hidden = true;
      if (answer.errors) {
        for (const [name, text] of Object.entries(answer.errors)) {
          const error = modal.querySelector(`[data-block-id="${CSS.escape(name)}"] .sk-error`);
          if (error) { error.textContent = text; error.hidden = false; }
        }
        return;
      }
      holder.remove();
      show(answer.turns);
    });
    return holder;
  }

  log.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action-id]");
    if (!button || !log.contains(button)) return;
    const action = {
      type: "button", action_id: button.dataset.actionId, block_id: button.dataset.blockId,
      value: button.dataset.value,
    };
    button.disabled = true;
    const answer = await post(root.dataset.actUrl, {platform: "slack", action});
    button.disabled = false;
    if (answer) show(answer.turns);
  });

  // Teams -------------------------------------------------------------------------------------

  function teamsColumn(teams) {
    const column = document.createElement("div");
    column.className = "try-pane teams-pane";
    for (const content of teams.cards) column.appendChild(teamsMessage(content, teams.form));
    return column;
  }

  function teamsMessage(content, formId) {
    const message = document.createElement("div");
    message.className = "teams-message";
    const sender = document.createElement("div");
    sender.className = "teams-sender";
    sender.textContent = "wxbind";
    message.appendChild(sender);
    const place = (card) => {
      const drawn = window.wxbindCards.render(card, async (data) => {
        const body = {platform: "teams", data};
        if (formId) body.form = formId;
        const answer = await post(root.dataset.actUrl, body);
        if (!answer) return;
        if (answer.replace) {
          // Teams updates the form's card in place: its errors marked, or the case number.
          message.replaceChild(place(answer.replace), message.querySelector(".teams-card"));
          return;
        }
        show(answer.turns);
      });
      return drawn;
    };
    message.appendChild(place(content));
    return message;
  }

  // Typing ------------------------------------------------------------------------------------

  async function send(text) {
    if (!text.trim()) return;
    said(text);
    const answer = await post(root.dataset.sayUrl, {text, language: language.value});
    if (answer) show(answer.turns);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    send(text);
  });
  for (const example of root.querySelectorAll(".try-example")) {
    example.addEventListener("click", () => send(example.dataset.text));
  }
})();
