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
// Alt+W, Alt+L and Alt+N follow the menu's accesskeys in every browser (Firefox wants
// Alt+Shift, and below 992 px the menu is folded behind its toggler, base.html, where a
// browser ignores the accesskey of a link it cannot see).
document.addEventListener("keydown", function (e) {
  if (!e.altKey || e.ctrlKey || e.metaKey || !/^Key[A-Z]$/.test(e.code)) return;
  var link = document.querySelector("#main-menu [accesskey='" + e.code.slice(3).toLowerCase() + "']");
  if (link) { e.preventDefault(); link.click(); }
});
// The keyboard (issue 14): the first field of the page's form has the cursor; ? shows the
// shortcuts, / goes to the search, j and k move through a list and Enter opens the row.
function typing(el) {
  return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}
function firstField(form) {
  var fields = form.querySelectorAll("input:not([type=hidden]):not([type=submit]):not([disabled]):not([readonly]), select:not([disabled]), textarea:not([disabled]):not([readonly])");
  for (var i = 0; i < fields.length; i++) {
    if (fields[i].offsetParent !== null) return fields[i];
  }
  return null;
}
document.addEventListener("DOMContentLoaded", function () {
  if (document.querySelector("[autofocus]") || document.querySelector(".field-error")) return;
  if (location.hash === "#search") {
    var search = document.querySelector("main input[name=q]");
    if (search) { search.focus(); return; }
  }
  // the first form that writes and whose first field shows without scrolling
  var forms = document.querySelectorAll("main form[method=post]");
  for (var i = 0; i < forms.length; i++) {
    var field = firstField(forms[i]);
    if (field && field.getBoundingClientRect().top < window.innerHeight) { field.focus(); return; }
  }
});
function listRows() {
  return Array.prototype.slice.call(document.querySelectorAll("main table tbody tr, main [data-queue] .list-group-item, main [data-testid=notifications] .list-group-item")).filter(function (row) {
    return row.offsetParent !== null && row.querySelector("a[href], button");
  });
}
function moveCurrent(step) {
  var rows = listRows();
  if (!rows.length) return;
  var at = rows.findIndex(function (row) { return row.classList.contains("kbd-current"); });
  var next = Math.min(Math.max(at + step, 0), rows.length - 1);
  if (at === -1) next = step > 0 ? 0 : rows.length - 1;
  rows.forEach(function (row) { row.classList.remove("kbd-current"); row.removeAttribute("aria-current"); });
  rows[next].classList.add("kbd-current");
  rows[next].setAttribute("aria-current", "true");
  rows[next].scrollIntoView({ block: "nearest" });
}
document.addEventListener("keydown", function (e) {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  var dialog = document.getElementById("shortcuts");
  if (e.key === "?" && dialog) {
    e.preventDefault();
    if (dialog.open) dialog.close(); else dialog.showModal();
    return;
  }
  if (dialog && dialog.open) return;
  if (e.key === "/") {
    e.preventDefault();
    var search = document.querySelector("main input[name=q]");
    if (search) { search.focus(); search.select(); return; }
    var list = document.querySelector("#main-menu [accesskey='l']");
    if (list) window.location.href = list.getAttribute("href") + "#search";
    return;
  }
  if (e.key === "j" || e.key === "k") { e.preventDefault(); moveCurrent(e.key === "j" ? 1 : -1); return; }
  if (e.key === "Enter") {
    var current = document.querySelector(".kbd-current");
    if (!current) return;
    var target = current.querySelector("a[href], button");
    if (target) { e.preventDefault(); target.click(); }
  }
});
// 常用语 (cases.phrases): a click on a phrase, or Alt+1 … Alt+9 in its field, puts it in at
// the cursor (an empty field takes it whole); the field keeps the focus.
function insertPhrase(field, text) {
  var start = field.selectionStart, end = field.selectionEnd, value = field.value;
  if (typeof start !== "number") { field.value = value + text; }
  else {
    field.value = value.slice(0, start) + text + value.slice(end);
    field.selectionStart = field.selectionEnd = start + text.length;
  }
  field.dispatchEvent(new Event("input", { bubbles: true }));
  field.focus();
}
document.addEventListener("click", function (e) {
  var button = e.target.closest && e.target.closest("[data-phrase]");
  if (!button) return;
  var field = document.getElementById(button.dataset.phraseFor);
  if (field) insertPhrase(field, button.dataset.phrase);
});
document.addEventListener("keydown", function (e) {
  if (!e.altKey || e.ctrlKey || e.metaKey || !/^Digit[1-9]$/.test(e.code) || !e.target.id) return;
  var buttons = document.querySelectorAll("[data-phrase-for='" + e.target.id + "']");
  var button = buttons[Number(e.code.slice(5)) - 1];
  if (button) { e.preventDefault(); insertPhrase(e.target, button.dataset.phrase); }
}, true);
// 批量办理: the header's box ticks every row's; x ticks the row the keyboard is on.
document.addEventListener("change", function (e) {
  var all = e.target.dataset && e.target.dataset.checkAll;
  if (!all) return;
  var table = e.target.closest("table");
  table.querySelectorAll("input[name='" + all + "']").forEach(function (box) { box.checked = e.target.checked; });
});
document.addEventListener("keydown", function (e) {
  if (e.key !== "x" || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  var box = document.querySelector(".kbd-current input[name=ids]");
  if (box) { e.preventDefault(); box.checked = !box.checked; }
});
