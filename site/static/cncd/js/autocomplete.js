// Offers names as they are typed (WAI-ARIA combobox with a list): an input with
// data-autocomplete-url asks that API (?q=) for items {name, code, detail?} (the detail, or
// else the code, is shown after the name); the arrows move in the list,
// Enter or a click chooses, Escape closes. Choosing writes the name in the input and, when
// data-autocomplete-code names another input, the code there.
(function () {
  "use strict";
  var counter = 0;
  document.querySelectorAll("input[data-autocomplete-url]").forEach(function (input) {
    counter += 1;
    var listId = "cncd-autocomplete-" + counter;
    var codeInput = input.dataset.autocompleteCode ? document.getElementById(input.dataset.autocompleteCode) : null;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "cncd-autocomplete";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.autocompleteLabel || "Suggestions");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function mark(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (option, number) {
        option.setAttribute("aria-selected", number === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", listId + "-" + index);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      input.value = item.name;
      if (codeInput) { codeInput.value = item.code; }
      close();
      status.textContent = item.name + " (" + (item.detail || item.code) + ")";
    }
    function show(found) {
      items = found;
      list.innerHTML = "";
      found.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.name + " (" + (item.detail || item.code) + ")";
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
        list.appendChild(option);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      active = -1;
      status.textContent = found.length ? found.length + " " + (input.dataset.autocompleteFound || "suggestions") : "";
    }
    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { show([]); return; }
      var number = ++asked;
      var url = input.dataset.autocompleteUrl + (input.dataset.autocompleteUrl.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (data) { if (number === asked) { show(data.items || []); } })
        .catch(function () { show([]); });
    }
    input.addEventListener("input", function () {
      // A name typed again no longer names the authority chosen before: its hidden code goes.
      if (codeInput && codeInput.type === "hidden") { codeInput.value = ""; }
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  });
})();
