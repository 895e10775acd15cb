// Behaviour of every page, kept out of the HTML: the Content-Security-Policy allows no inline
// script or event handler.
(function () {
  // A select marked data-autosubmit sends its form when changed (the language switch).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // A background job's progress: poll its status URL, reload the page when it has ended.
  // (Boxes marked data-autoreload; a page with its own poller, e.g. access.js, leaves it off.)
  var box = document.querySelector("#progress-box[data-autoreload]");
  if (!box || !box.dataset.statusUrl) return;
  var bar = document.getElementById("progress");
  var step = document.getElementById("progress-step");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (bar) bar.value = s.progress;
        if (step) step.textContent = s.status + (s.step ? " · " + s.step : "");
        if (s.status === "finished" || s.status === "failed") {
          window.location.reload();
        } else {
          setTimeout(poll, 700);
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 300);
})();
