// "Mes exports": an export being prepared shows its progress, asked of the API every two seconds;
// once it is ready (or failed) the page reloads to offer the download.
(function () {
  "use strict";
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    function ask() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (data.status !== "pending") { window.location.reload(); return; }
          bar.value = data.progress;
          bar.textContent = data.progress + " %";
          text.textContent = data.progress + " %";
          window.setTimeout(ask, 2000);
        })
        .catch(function () { window.setTimeout(ask, 5000); });
    }
    window.setTimeout(ask, 2000);
  });
})();
