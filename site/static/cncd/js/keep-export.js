// Under the Atlas results: "Prepare the PDF" / "Keep the PDF" ask the API to keep the export
// (POST /api/me/exports/) and follow it on the page: a progress bar while the worker makes it,
// then a link to download it. Without JavaScript the form posts to the personal space instead.
(function () {
  "use strict";
  document.querySelectorAll("form[data-keep-export]").forEach(function (form) {
    var box = form.querySelector("[data-keep-progress]");
    var bar = box.querySelector("progress");
    var percent = box.querySelector("[data-progress-text]");
    var status = box.querySelector("[data-keep-status]");
    var buttons = form.querySelectorAll("button[name=scope]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function busy(yes) {
      buttons.forEach(function (button) { button.disabled = yes; });
    }
    function show(value) {
      bar.value = value;
      bar.textContent = value + " %";
      percent.textContent = value + " %";
    }
    function say(text, link) {
      status.textContent = text;
      if (link) {
        var anchor = document.createElement("a");
        anchor.href = link;
        anchor.textContent = status.dataset.downloadText;
        status.append(" ", anchor, ". ");
        var kept = document.createElement("a");
        kept.href = status.dataset.exportsUrl;
        kept.textContent = status.dataset.keptText;
        status.append(kept);
      }
    }
    function follow(item) {
      show(item.progress || 0);
      if (item.status === "ready") {
        show(100);
        busy(false);
        say(status.dataset.readyText, item.download_url);
        return;
      }
      if (item.status === "failed") {
        busy(false);
        say(status.dataset.failedText);
        return;
      }
      if (!status.textContent) { say(status.dataset.pendingText); }
      window.setTimeout(function () {
        fetch(form.dataset.apiUrl + item.id + "/", { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : item; })
          .then(follow)
          .catch(function () { follow(item); });
      }, 1500);
    }
    function refused(data) {
      var detail = data && data.detail;
      if (Array.isArray(detail)) { detail = detail.map(function (error) { return error.msg; }).join(" "); }
      busy(false);
      say(status.dataset.refusedText + " " + (detail || ""));
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var scope = event.submitter && event.submitter.value ? event.submitter.value : "country";
      box.hidden = false;
      busy(true);
      show(0);
      status.textContent = "";
      fetch(form.dataset.apiUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ query: form.dataset.query, scope: scope }),
      })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (answer) { if (answer.ok) { follow(answer.data); } else { refused(answer.data); } })
        .catch(function () { refused(null); });
    });
  });
})();
