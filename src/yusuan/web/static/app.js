// The few behaviours of the pages; everything works without them (refresh, all findings shown).
(function () {
  "use strict";

  // Report page: show only the checked severities and rule families.
  var filters = document.getElementById("filters");
  if (filters) {
    var apply = function () {
      var on = function (name) {
        var set = {};
        filters.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
          set[box.value] = box.checked;
        });
        return set;
      };
      var sev = on("severity"), fam = on("family");
      document.querySelectorAll("details.finding").forEach(function (el) {
        el.classList.toggle("hidden", !(sev[el.dataset.severity] && fam[el.dataset.family]));
      });
      document.querySelectorAll(".family, section.severity").forEach(function (box) {
        var shown = box.querySelectorAll("details.finding:not(.hidden)").length > 0;
        box.classList.toggle("hidden", !shown);
      });
    };
    filters.addEventListener("change", apply);
  }

  // Progress page: poll each unfinished job; a single finished job opens its report.
  var list = document.querySelector("ul.jobs");
  if (list) {
    var single = list.dataset.single === "1";
    var poll = function () {
      var items = list.querySelectorAll("li.job[data-status=queued], li.job[data-status=running]");
      if (!items.length) { return; }
      items.forEach(function (li) {
        fetch("/api/jobs/" + encodeURIComponent(li.dataset.job))
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (job) {
            if (!job) { return; }
            li.querySelector("progress").value = job.progress;
            li.querySelector(".stage").textContent = job.stage;
            if (job.status === "done" || job.status === "failed") {
              if (single && job.status === "done") { window.location.href = job.report_url; return; }
              window.location.reload();
            }
          });
      });
      window.setTimeout(poll, 400);
    };
    var first = list.querySelector("li.job");
    if (single && first && first.dataset.status === "done") {
      window.location.href = "/reports/" + encodeURIComponent(first.dataset.job);
    }
    poll();
  }
})();
