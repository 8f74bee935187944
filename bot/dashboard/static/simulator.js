// The simulator's send form: clear the box once the message went through. A file rather than an
// hx-on attribute, because the Content-Security-Policy allows no inline script.
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt;
  if (form instanceof HTMLFormElement && form.hasAttribute("data-reset-after-send")
      && event.detail.successful) {
    form.reset();
  }
});
