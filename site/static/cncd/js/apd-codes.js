// e-APD: explain each OECD code as the member types it — its name in French, or why it may
// not be declared — by asking the API (GET /api/declarations/apd/codes/{kind}/{code}).
(function () {
  "use strict";
  function explain(input) {
    var hint = document.getElementById(input.id + "-code");
    var code = input.value.trim();
    if (!hint) return;
    if (!code) { hint.textContent = ""; return; }
    fetch("/api/declarations/apd/codes/" + input.dataset.codeKind + "/" + encodeURIComponent(code), {
      headers: { Accept: "application/json", "Accept-Language": document.documentElement.lang || "fr" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (input.value.trim() !== code) return; // typed on since
      if (result.ok) {
        hint.textContent = result.body.name;
        hint.classList.remove("fr-error-text");
        hint.classList.add("fr-valid-text");
      } else {
        var detail = result.body.detail;
        hint.textContent = Array.isArray(detail) ? detail.map(function (d) { return d.msg; }).join(" ") : String(detail);
        hint.classList.remove("fr-valid-text");
        hint.classList.add("fr-error-text");
      }
    }).catch(function () { hint.textContent = ""; });
  }
  document.querySelectorAll("input[data-code-kind]").forEach(function (input) {
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { explain(input); }, 250);
    });
    if (input.value) explain(input);
  });
})();
