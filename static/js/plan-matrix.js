// The stakeholder x quarter matrix: an action can also be dragged to another cell. Dropping fills in the action's
// own move form (quarter and owner) and sends it; without this script, and by keyboard, that form does the work.
(function () {
  "use strict";

  var table = document.querySelector(".vb-plan-matrix[data-can-move='true']");
  if (!table) {
    return;
  }
  var DROP = "vb-plan-matrix__cell--drop";
  var dragged = null;

  function clear() {
    Array.prototype.forEach.call(table.querySelectorAll("." + DROP), function (cell) {
      cell.classList.remove(DROP);
    });
  }

  Array.prototype.forEach.call(table.querySelectorAll(".vb-plan-chip"), function (chip) {
    if (!chip.querySelector("form")) {
      return;
    }
    chip.setAttribute("draggable", "true");
    chip.addEventListener("dragstart", function (event) {
      dragged = chip;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", chip.dataset.action);
    });
    chip.addEventListener("dragend", function () {
      dragged = null;
      clear();
    });
  });

  Array.prototype.forEach.call(table.querySelectorAll(".vb-plan-matrix__cell"), function (cell) {
    cell.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
        cell.classList.add(DROP);
      }
    });
    cell.addEventListener("dragleave", function () {
      cell.classList.remove(DROP);
    });
    cell.addEventListener("drop", function (event) {
      if (!dragged) {
        return;
      }
      event.preventDefault();
      var form = dragged.querySelector("form");
      form.querySelector("select[name='move-quarter']").value = cell.dataset.quarter;
      if (cell.dataset.owner !== "0") {
        form.querySelector("select[name='move-owner']").value = cell.dataset.owner;
      }
      form.submit();
    });
  });
})();
