/* The judge's desk (console/pages/judge.py): the live weighted total, and a draft
   kept in this browser's localStorage so a reload or a dropped connection loses
   nothing. A draft remembers the sheet revision it was based on: once the sheet
   is saved (a newer revision comes back), the draft is dropped. Without
   JavaScript the form still posts. */
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; } catch (e) { store = null; }

  function read(key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }

  // The list of entries: mark those with a draft on this device.
  document.querySelectorAll("[data-draft-of]").forEach(function (tag) {
    if (!store) return;
    var prefix = "kim-desk:" + tag.getAttribute("data-draft-of").replace("/", ":") + ":";
    for (var i = 0; i < store.length; i++) {
      if (store.key(i).indexOf(prefix) === 0) { tag.textContent = tag.getAttribute("data-draft-text"); return; }
    }
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  var inputs = form.querySelectorAll(".score-input");
  var total = document.getElementById("weighted-total");
  var status = document.getElementById("draft-status");
  var key = form.getAttribute("data-draft-key");
  var revision = Number(form.getAttribute("data-revision"));
  var fields = Array.prototype.slice.call(inputs).concat([form.elements.comment, form.elements.note]);

  function showTotal() {
    var sum = 0, complete = true;
    inputs.forEach(function (input) {
      var value = Number(input.value);
      if (input.value === "" || !Number.isInteger(value) || value < 0 || value > 100) { complete = false; return; }
      sum += value * Number(input.getAttribute("data-weight"));
    });
    total.textContent = complete
      ? (sum / 100).toLocaleString(total.getAttribute("data-locale") === "en" ? "en-GB" : "id-ID",
          { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : "–";
  }

  var timer = null;
  function keep() {
    if (!store) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var values = {};
      fields.forEach(function (field) { values[field.name] = field.value; });
      try { store.setItem(key, JSON.stringify({ revision: revision, values: values })); } catch (e) { return; }
      status.textContent = status.getAttribute("data-saved");
    }, 400);
  }

  var draft = store ? read(key) : null;
  if (draft && draft.revision === revision && !document.querySelector("[aria-invalid]")) {
    fields.forEach(function (field) {
      if (draft.values && typeof draft.values[field.name] === "string") field.value = draft.values[field.name];
    });
    status.textContent = status.getAttribute("data-restored");
  } else if (draft) {
    store.removeItem(key);  // based on an older revision: the sheet was sent since
  }
  form.addEventListener("input", function () { showTotal(); keep(); });
  showTotal();
})();
