// Waits for a render job (data-job: its status URL) and reloads the page when it is done.
(function () {
  "use strict";
  document.querySelectorAll("[data-job]").forEach(function (el) {
    var url = el.getAttribute("data-job");
    function poll() {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (job) {
        if (job.done) { window.location.reload(); } else { setTimeout(poll, 1000); }
      }).catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 1000);
  });
  document.querySelectorAll("form.upload").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button");
      button.disabled = true; button.textContent = "正在检查……";
    });
  });
})();
