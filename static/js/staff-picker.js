// The staff directory picker (cases.forms.StaffPicker / StaffPickerOne): each
// select[data-staff-picker] becomes a search box over the directory that the select's
// data-staff-picker URL answers (name, unit and title only), so that the clerk picks the
// accused person, namesakes told apart by 姓名 · 部门 · 职务 (《信访工作条例》第三十条).
// The select stays in the form, hidden: the people picked are its selected options.
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function enhance(select) {
    var url = select.dataset.staffPicker;
    var multiple = select.multiple;
    var box = el("div", "staff-picker position-relative");
    var chips = el("ul", "list-inline mb-1");
    chips.setAttribute("aria-label", "已选定");
    var input = el("input", "form-control");
    input.type = "search";
    input.autocomplete = "off";
    input.placeholder = "如：张伟";
    input.id = select.id + "_search";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = el("ul", "list-group position-absolute w-100 shadow-sm z-3 staff-picker-results");
    list.id = select.id + "_results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    var status = el("div", "form-text");
    status.setAttribute("aria-live", "polite");
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) label.htmlFor = input.id;
    if (select.getAttribute("aria-describedby")) input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));

    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(box, select);
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);

    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function picked() {
      return Array.prototype.filter.call(select.options, function (o) { return o.selected && o.value; });
    }

    function drawChips() {
      chips.textContent = "";
      picked().forEach(function (option) {
        var chip = el("li", "list-inline-item badge text-bg-light border fw-normal fs-6 mb-1", option.textContent + " ");
        var remove = el("button", "btn-close btn-sm align-middle");
        remove.type = "button";
        remove.setAttribute("aria-label", "移除 " + option.textContent);
        remove.addEventListener("click", function () {
          if (multiple) option.remove(); else { option.selected = false; select.value = ""; }
          drawChips();
          select.dispatchEvent(new Event("change", { bubbles: true }));
          input.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function pick(entry) {
      var value = String(entry.id);
      if (!multiple) {
        Array.prototype.slice.call(select.options).forEach(function (o) { if (o.value) o.remove(); });
      }
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
      if (!option) {
        option = new Option(entry.label, value, true, true);
        select.appendChild(option);
      }
      option.selected = true;
      input.value = "";
      status.textContent = "已选定：" + entry.label;
      close();
      drawChips();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.classList.toggle("active", i === index); });
      active = index;
      if (index >= 0 && items[index]) input.setAttribute("aria-activedescendant", items[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function draw(query) {
      list.textContent = "";
      var chosen = picked().map(function (o) { return o.value; });
      results.forEach(function (entry, i) {
        var item = el("li", "list-group-item list-group-item-action", entry.label);
        item.id = list.id + "_" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", chosen.indexOf(String(entry.id)) >= 0 ? "true" : "false");
        item.addEventListener("mousedown", function (e) { e.preventDefault(); pick(entry); });
        list.appendChild(item);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = "找到 " + results.length + " 人，用 ↑↓ 选择，回车选定。";
      } else {
        close();
        status.textContent = "名录中没有“" + query + "”。不在名录中的人员请在“其他被举报人”中填写姓名，由信访办核实。";
      }
      highlight(results.length ? 0 : -1);
    }

    function search() {
      var query = input.value.trim();
      if (!query) { results = []; close(); status.textContent = ""; return; }
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          if (ticket !== asked) return; // a later search has been sent
          results = data.results || [];
          draw(query);
        })
        .catch(function () {
          if (ticket !== asked) return;
          results = [];
          close();
          status.textContent = "查找失败，请稍后重试。";
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (e) {
      if (e.ctrlKey || e.metaKey) return; // Ctrl+Enter submits the form (app.js)
      if (e.key === "ArrowDown" && results.length) {
        e.preventDefault();
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(Math.min(active + 1, results.length - 1));
      } else if (e.key === "ArrowUp" && results.length) {
        e.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (e.key === "Enter") {
        // Enter picks the highlighted person; it never submits the form from here
        e.preventDefault();
        if (!list.hidden && active >= 0 && results[active]) pick(results[active]);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
    drawChips();
  }

  function start() {
    document.querySelectorAll("select[data-staff-picker]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
