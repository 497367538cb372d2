// The instructor's password form, shown when nobody (or somebody else) is logged in, and
// again when the instructor's session has expired (then it says so).

import { api, sessionExpired } from "/static/common/api.js";
import { h } from "/static/common/ui.js";
import { field, messageOf, tx } from "/static/instructor/dom.js";

export function mountLogin(main, onDone) {
  const password = h("input", {
    name: "password",
    type: "password",
    required: true,
    autocomplete: "current-password",
  });
  const submit = tx("button", "inst.login.button", null, { type: "submit", class: "primary" });
  const form = h(
    "form",
    { class: "card stack login", id: "login", novalidate: true },
    tx("h2", "inst.login.title"),
    tx("p", "inst.login.lead", null, { class: "hint" }),
    field("inst.login.password", password),
    submit,
    h("p", { class: "form-message", role: "alert" }),
  );
  const message = messageOf(form);
  if (sessionExpired())
    message.key(`session.expired.${sessionExpired() === "finished" ? "finished" : "idle"}`);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!password.value) {
      message.key("inst.login.missing");
      password.focus();
      return;
    }
    submit.disabled = true;
    message.clear();
    try {
      await api("/api/v1/session/instructor", { method: "POST", body: { password: password.value } });
      await onDone();
    } catch (error) {
      if (error.status === 401) message.key("inst.login.wrong");
      else message.raw(error.detail || error.message);
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  main.replaceChildren(form);
  password.focus();
}
