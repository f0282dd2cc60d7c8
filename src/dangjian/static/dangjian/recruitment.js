// 发展党员 pages: the print button of the timeline, and a live vote count on the
// 支部大会 form (the service checks quorum and majority again when saving).
(function () {
  "use strict";

  function fraction(text) {
    var parts = (text || "1/2").split("/");
    return [parseInt(parts[0], 10), parseInt(parts[1], 10)];
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function recount(table, box) {
    var should = 0, present = 0, yes = 0, no = 0, abstain = 0, observers = 0;
    table.querySelectorAll("tr.ballot-row").forEach(function (row) {
      if (row.classList.contains("observer-row")) {
        // 列席: present without a vote, outside the quorum and the majority.
        if (field(row, "attended").checked) { observers += 1; }
        return;
      }
      var shouldBox = field(row, "should_attend");
      var attended = field(row, "attended").checked;
      var written = field(row, "written").checked;
      if (!(shouldBox.checked || attended)) { return; }
      should += 1;
      if (attended) { present += 1; }
      if (attended || written) {
        var choice = field(row, "choice").value;
        if (choice === "yes") { yes += 1; }
        if (choice === "no") { no += 1; }
        if (choice === "abstain") { abstain += 1; }
      }
    });
    var q = fraction(table.dataset.quorum), m = fraction(table.dataset.majority);
    var quorum = present * q[1] > should * q[0];
    var majority = yes * m[1] > should * m[0];
    var counts = box.dataset.textCounts
      .replace("{should}", should).replace("{present}", present)
      .replace("{yes}", yes).replace("{no}", no).replace("{abstain}", abstain);
    if (observers && box.dataset.textObservers) {
      counts += box.dataset.textObservers.replace("{observers}", observers);
    }
    var verdict = quorum
      ? (majority ? box.dataset.textMajorityOk : box.dataset.textMajorityNo)
      : box.dataset.textQuorumNo;
    box.textContent = counts + "。" + verdict;
    box.className = "alert small border " + (quorum && majority ? "alert-success" : "alert-warning");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    var table = document.getElementById("ballots");
    var box = document.getElementById("tally");
    if (!table || !box) { return; }
    table.addEventListener("change", function () { recount(table, box); });
    document.querySelectorAll("[data-all-attended]").forEach(function (button) {
      button.addEventListener("click", function () {
        table.querySelectorAll("tr.ballot-row:not(.observer-row)").forEach(function (row) {
          if (field(row, "should_attend").checked) { field(row, "attended").checked = true; }
        });
        recount(table, box);
      });
    });
    recount(table, box);
  });
})();
