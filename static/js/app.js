// Small helpers: no second submit, Ctrl+Enter submits, show dependent fields.
// No inline handlers anywhere (the Content-Security-Policy refuses them): a form or its
// button asks first with data-confirm, a select goes to data-navigate + its value.
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (form.dataset.submitted === "1") { e.preventDefault(); return; }
  var ask = (e.submitter && e.submitter.dataset.confirm) || form.dataset.confirm;
  if (ask && !window.confirm(ask)) { e.preventDefault(); return; }
  form.dataset.submitted = "1";
  // A disabled button is left out of what the form sends: keep the pressed button's
  // name and value (保存草稿 or 签发并编号) in a hidden field before disabling it.
  var by = e.submitter;
  if (by && by.name) {
    var keep = document.createElement("input");
    keep.type = "hidden"; keep.name = by.name; keep.value = by.value; keep.dataset.submitter = "1";
    form.appendChild(keep);
  }
  form.querySelectorAll("button[type=submit]").forEach(function (b) {
    b.disabled = true; b.dataset.label = b.textContent; b.textContent = "正在提交…";
  });
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submitted='1']").forEach(function (f) {
    f.dataset.submitted = "";
    f.querySelectorAll("input[data-submitter]").forEach(function (i) { i.remove(); });
    f.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; if (b.dataset.label) b.textContent = b.dataset.label; });
  });
});
document.addEventListener("keydown", function (e) {
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
    var form = e.target.closest && e.target.closest("form");
    if (form) { e.preventDefault(); form.requestSubmit(); }
  }
});
function toggleDependents() {
  document.querySelectorAll("[data-show-when]").forEach(function (el) {
    var parts = el.dataset.showWhen.split("=");
    var input = document.querySelector("[name='" + parts[0] + "']");
    if (!input) return;
    var value = input.type === "checkbox" ? (input.checked ? "on" : "") : input.value;
    var show = parts.length > 1 ? (parts[1].charAt(0) === "!" ? value !== parts[1].slice(1) : value === parts[1]) : !!value;
    el.hidden = !show;
  });
}
document.addEventListener("change", toggleDependents);
document.addEventListener("DOMContentLoaded", toggleDependents);
// After a refused submit, put the cursor in the first field that needs correcting.
document.addEventListener("DOMContentLoaded", function () {
  var first = document.querySelector(".field-error input:not([type=hidden]), .field-error select, .field-error textarea");
  if (first) first.focus();
});
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el.dataset && el.dataset.navigate) { window.location.href = el.dataset.navigate + encodeURIComponent(el.value) + "/"; }
});
// 标记为重复信访 in the similar-case panel: tick the box and fill in the earlier case's number.
document.addEventListener("click", function (e) {
  var button = e.target.closest && e.target.closest("[data-mark-repeat]");
  if (!button) return;
  var box = document.getElementById("id_is_repeat");
  var number = document.getElementById("id_repeat_of_number");
  if (!box || !number) return;
  box.checked = true;
  number.value = button.dataset.markRepeat;
  box.dispatchEvent(new Event("change", { bubbles: true }));
});
// Below 992 px the menu is folded behind its toggler (base.html), and a browser ignores
// the accesskey of a link it cannot see: Alt+W, Alt+L and Alt+N still follow theirs.
document.addEventListener("keydown", function (e) {
  if (!e.altKey || e.ctrlKey || e.metaKey || !/^Key[A-Z]$/.test(e.code)) return;
  var link = document.querySelector("#main-menu [accesskey='" + e.code.slice(3).toLowerCase() + "']");
  if (link && !link.offsetParent) { e.preventDefault(); link.click(); }
});
