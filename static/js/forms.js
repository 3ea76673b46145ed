// Forms people can trust (no inline script: the page's CSP allows only files and nonces).
// - After a failed save the error summary takes focus, so a screen reader reads it first.
// - A form with data-warn-unsaved asks before the page is left with unsaved changes.
// - After an in-place (htmx) update the focus moves to what changed.
// - Rows that add (a formset's <template data-empty-row>) are added in place, keeping
//   everything typed; without JavaScript the same button posts the form and the server
//   adds the row.
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function warnUnsaved(form) {
    var dirty = false;
    var mark = function () { dirty = true; };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = form.dataset.warnUnsaved;  // older browsers show this text
        return form.dataset.warnUnsaved;
      }
    });
    // A failed save shows the person's unsaved words again: still unsaved.
    if (form.querySelector("[data-error-summary]")) {
      dirty = true;
    }
  }

  function addRow(button) {
    var name = button.dataset.addRow;
    var form = button.form;
    var template = form.querySelector('template[data-empty-row="' + name + '"]');
    var rows = form.querySelector('[data-rows="' + name + '"]');
    var total = form.querySelector('input[name="' + name + '-TOTAL_FORMS"]');
    if (!template || !rows || !total) {
      return false;
    }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    var legend = row.querySelector("legend");
    if (legend && button.dataset.rowLabel) {
      legend.textContent = button.dataset.rowLabel.replace("%s", String(rows.children.length + 1));
    }
    rows.appendChild(row);
    total.value = String(index + 1);
    form.dispatchEvent(new Event("change"));
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
    return true;
  }

  // After an in-place (htmx) update the new content says where the focus goes
  // (data-focus: ids, the first one present wins), so it never drops to the page's body.
  function focusAfterSwap() {
    var holder = document.querySelector("[data-focus]");
    if (!holder) {
      return;
    }
    var ids = holder.dataset.focus.split(/\s+/);
    holder.removeAttribute("data-focus");
    for (var i = 0; i < ids.length; i++) {
      var target = ids[i] && document.getElementById(ids[i]);
      if (target) {
        if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus();
        return;
      }
    }
  }

  document.addEventListener("htmx:afterSettle", focusAfterSwap);

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    document.querySelectorAll("form[data-warn-unsaved]").forEach(warnUnsaved);
    document.querySelectorAll("[data-add-row]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (addRow(button)) {
          event.preventDefault();
        }
      });
    });
  });
})();
