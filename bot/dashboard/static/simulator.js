// The simulator page. A file rather than hx-on attributes: the Content-Security-Policy allows no
// inline script.

// The send form: clear the box once the message went through.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (form instanceof HTMLFormElement && form.hasAttribute("data-reset-after-send")
      && event.detail.successful) {
    form.reset();
  }
});

// The conversation shows its newest message: at the start, after each message sent, and when
// a poll brings new ones, unless the reader scrolled up to read older ones.
const NEAR_BOTTOM_PX = 48;
let followNewest = true;

function chatLog() {
  return document.getElementById("chat");
}

function showNewest() {
  const chat = chatLog();
  if (chat) chat.scrollTop = chat.scrollHeight;
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const chat = chatLog();
  if (!chat || event.detail.target !== chat) return;
  const sent = event.detail.requestConfig && event.detail.requestConfig.verb === "post";
  followNewest = sent || chat.scrollHeight - chat.scrollTop - chat.clientHeight < NEAR_BOTTOM_PX;
});

document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target === chatLog() && followNewest) showNewest();
});

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", showNewest);
} else {
  showNewest();
}
