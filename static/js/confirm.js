// Asks before a destructive button acts (templates/_macros/confirm.html): a <dialog> with the form's question;
// yes adds the confirmation field and sends the form. Without JavaScript the server shows a confirmation page.
(function () {
  "use strict";
  var CONFIRMED = "bevestigd";
  var dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "vb-confirm-dialog";
    dialog.setAttribute("aria-labelledby", "vb-confirm-question");
    dialog.innerHTML =
      '<form method="dialog" class="vb-confirm-dialog__form">' +
      '<p class="utrecht-paragraph" id="vb-confirm-question"></p>' +
      '<div class="utrecht-button-group vb-actions">' +
      '<button class="utrecht-button utrecht-button--primary-action" value="yes" type="submit"></button>' +
      '<button class="utrecht-button utrecht-button--secondary-action" value="no" type="submit"></button>' +
      "</div></form>";
    document.body.appendChild(dialog);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.vbConfirm || typeof HTMLDialogElement !== "function") {
      return;
    }
    event.preventDefault();
    if (dialog === null) {
      build();
    }
    var buttons = dialog.querySelectorAll("button");
    dialog.querySelector("#vb-confirm-question").textContent = form.dataset.vbConfirm;
    buttons[0].textContent = form.dataset.vbConfirmYes;
    buttons[1].textContent = form.dataset.vbConfirmNo;
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue !== "yes") {
        var opener = form.querySelector("button");
        if (opener) {
          opener.focus();
        }
        return;
      }
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = CONFIRMED;
      field.value = "ja";
      form.appendChild(field);
      form.submit();
    };
    dialog.showModal();
    buttons[1].focus();
  });
})();
