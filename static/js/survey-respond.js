/* The respondent's questionnaire (templates/surveys/respond/survey.html): SurveyJS renders the definition,
   progress is kept in localStorage per link, and the answers are posted as JSON, kept and sent again when the
   connection is back or, after the tab was closed, when the link is opened again. The texts come from the page (translated there); this file holds no wording. */
(function () {
  "use strict";

  var root = document.getElementById("survey");
  if (!root || !window.Survey || !window.SurveyUI || !window.VbSurvey) {
    return;
  }
  var definition = JSON.parse(document.getElementById("survey-definition").textContent);
  var config = JSON.parse(document.getElementById("survey-config").textContent);
  var texts = config.texts;
  var CONTACT_PREFIX = "vb_contact_";
  var result = document.getElementById("survey-result");
  var message = document.getElementById("survey-message");
  var retryButton = document.getElementById("survey-retry");
  var editButton = document.getElementById("survey-edit");
  var thanks = document.getElementById("survey-thanks");
  var intro = document.getElementById("survey-intro");
  var doneBefore = document.getElementById("survey-done-before");
  // through the public link this device remembers that it answered: a courtesy, shared computers exist
  var doneKey = config.challengeUrl ? config.storageKey + "-ingevuld" : null;
  var sending = false;
  var waitingForConnection = false;

  // The optional "contact me" questions: a last page that is not part of the definition. Its answers are
  // sent apart from the questionnaire's and stored apart from them.
  function contactPage() {
    var wanted = "{" + CONTACT_PREFIX + "wanted} = 'yes'";
    return {
      name: CONTACT_PREFIX + "page",
      title: texts.contactTitle,
      description: texts.contactIntro,
      elements: [
        {
          type: "radiogroup",
          name: CONTACT_PREFIX + "wanted",
          title: texts.contactWanted,
          choices: [
            { value: "yes", text: texts.yes },
            { value: "no", text: texts.no },
          ],
        },
        { type: "text", name: CONTACT_PREFIX + "name", title: texts.contactName, visibleIf: wanted, isRequired: true,
          autocomplete: "name", maxLength: 200 },
        { type: "text", name: CONTACT_PREFIX + "email", title: texts.contactEmail, visibleIf: wanted,
          inputType: "email", autocomplete: "email", maxLength: 254,
          validators: [{ type: "email", text: texts.contactEmailInvalid }] },
        { type: "text", name: CONTACT_PREFIX + "phone", title: texts.contactPhone, visibleIf: wanted,
          inputType: "tel", autocomplete: "tel", maxLength: 30,
          validators: [{
            type: "expression",
            expression: "{" + CONTACT_PREFIX + "email} notempty or {" + CONTACT_PREFIX + "phone} notempty",
            text: texts.contactReachable,
          }] },
        { type: "checkbox", name: CONTACT_PREFIX + "working_group", title: texts.contactWorkingGroupTitle,
          titleLocation: "hidden", visibleIf: wanted,
          choices: [{ value: "yes", text: texts.contactWorkingGroup }] },
        { type: "comment", name: CONTACT_PREFIX + "remark", title: texts.contactRemark, visibleIf: wanted,
          maxLength: 2000 },
      ],
    };
  }

  function withContactPage(json) {
    var copy = Object.assign({}, json);
    var pages = json.pages ? json.pages.slice() : [{ name: "page1", elements: json.elements || [] }];
    delete copy.elements;
    copy.pages = pages.concat([contactPage()]);
    return copy;
  }

  window.VbSurvey.configure(window.Survey);
  var model = new window.Survey.Model(withContactPage(window.VbSurvey.englishAsDefault(definition)));
  model.locale = config.locale;
  model.showTitle = false;
  model.showCompletedPage = false;
  // whatever the definition says: where the respondent is ("Pagina 2 van 8") and a way back on every later page
  model.showProgressBar = "top";
  model.progressBarType = "pages";
  model.showPrevButton = true;

  // The introduction above the questionnaire is read once, before the first question: not above every page,
  // nor above the thanks or any other message that takes the questionnaire's place.
  function showIntroduction() {
    intro.hidden = root.hidden || !(model.state === "running" && model.isFirstPage);
  }

  function showQuestionnaire(shown) {
    root.hidden = !shown;
    showIntroduction();
  }

  // Progress on this device ---------------------------------------------------------------------------

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage blocked (private mode, settings): the survey still works, without progress
    }
  }

  // `completed`: the respondent finished and the answers still have to be sent; they go out the next time this
  // link is opened on this device, also after the tab was closed while offline
  function saveProgress(completed) {
    var store = storage();
    if (!store) {
      return;
    }
    try {
      store.setItem(
        config.storageKey,
        JSON.stringify({ data: model.data, page: model.currentPageNo, completed: completed === true })
      );
    } catch (error) {
      /* storage full: keep going without it */
    }
  }

  // Returns whether the saved answers were completed but not sent yet.
  function restoreProgress() {
    var store = storage();
    var saved = null;
    try {
      saved = store ? JSON.parse(store.getItem(config.storageKey) || "null") : null;
    } catch (error) {
      saved = null;
    }
    if (!saved || !saved.data) {
      return false;
    }
    model.data = saved.data;
    if (typeof saved.page === "number" && saved.page > 0 && saved.page < model.visiblePageCount) {
      model.currentPageNo = saved.page;
    }
    return saved.completed === true;
  }

  function forgetProgress() {
    var store = storage();
    if (store) {
      store.removeItem(config.storageKey);
    }
  }

  // Sending ------------------------------------------------------------------------------------------

  function payload() {
    var answers = {};
    var contact = {};
    var data = model.data;
    Object.keys(data).forEach(function (key) {
      if (key.indexOf(CONTACT_PREFIX) === 0) {
        contact[key.slice(CONTACT_PREFIX.length)] = data[key];
      } else {
        answers[key] = data[key];
      }
    });
    var wanted = contact.wanted === "yes";
    return {
      answers: answers,
      contact: wanted
        ? {
            name: contact.name || "",
            email: contact.email || "",
            phone: contact.phone || "",
            remark: contact.remark || "",
            wants_working_group: (contact.working_group || []).indexOf("yes") !== -1,
          }
        : null,
    };
  }

  function show(text, kind, options) {
    result.hidden = false;
    message.textContent = text;
    message.className = "utrecht-alert utrecht-alert--" + kind;
    message.setAttribute("role", kind === "error" || kind === "warning" ? "alert" : "status");
    retryButton.hidden = !(options && options.retry);
    editButton.hidden = !(options && options.edit);
  }

  function finish(text) {
    forgetProgress();
    var store = storage();
    if (store && doneKey) {
      store.setItem(doneKey, "1");
    }
    waitingForConnection = false;
    showQuestionnaire(false);
    result.hidden = true;
    thanks.hidden = false;
    if (text) {
      document.getElementById("survey-thanks-message").textContent = text;
    }
    thanks.focus();
  }

  // The public link's proof of work (ALTCHA, protocol v2 with iterated SHA-256 of cost 1): the counter whose
  // hash of salt, nonce and counter (big-endian) starts with the challenge's key prefix. Batches of hashes run at
  // once; the respondent waits a moment and does nothing.
  var BATCH = 256;

  function bytesOf(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i++) {
      bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    }
    return bytes;
  }

  function hexOf(buffer, length) {
    var bytes = new Uint8Array(buffer, 0, length);
    var hex = "";
    for (var i = 0; i < bytes.length; i++) {
      hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return hex;
  }

  function solve(challenge) {
    var parameters = challenge.parameters;
    var salt = bytesOf(parameters.salt);
    var nonce = bytesOf(parameters.nonce);
    var data = new Uint8Array(salt.length + nonce.length + 4);
    data.set(salt);
    data.set(nonce, salt.length);
    var view = new DataView(data.buffer);
    function batch(start) {
      var hashes = [];
      for (var counter = start; counter < start + BATCH; counter++) {
        view.setUint32(salt.length + nonce.length, counter);
        hashes.push(window.crypto.subtle.digest("SHA-256", data.slice()));
      }
      return Promise.all(hashes).then(function (digests) {
        for (var i = 0; i < digests.length; i++) {
          var key = hexOf(digests[i], parameters.keyLength);
          if (key.indexOf(parameters.keyPrefix) === 0) {
            return { challenge: challenge, solution: { counter: start + i, derivedKey: key } };
          }
        }
        return batch(start + BATCH);
      });
    }
    return batch(0);
  }

  // Resolves with the proof to send (null for a personal link), or with a response that refused to give one.
  function proof() {
    if (!config.challengeUrl) {
      return Promise.resolve({ proof: null });
    }
    return window
      .fetch(config.challengeUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          return { refused: response };
        }
        show(texts.proving, "info");
        return response.json().then(solve).then(function (solved) {
          return { proof: solved };
        });
      });
  }

  function answer(response, proofRetried) {
    return response
      .json()
      .catch(function () {
        return {};
      })
      .then(function (body) {
        sending = false;
        if (response.status === 403 && body.proof && !proofRetried) {
          send(texts.sending, true); // the challenge expired or was spent meanwhile: a new one, once
          return;
        }
        handle(response.status, body.message);
      });
  }

  function send(text, proofRetried) {
    if (sending) {
      return;
    }
    sending = true;
    show(typeof text === "string" ? text : texts.sending, "info");
    proof()
      .then(function (proven) {
        if (proven.refused) {
          return answer(proven.refused, true);
        }
        var body = payload();
        body.proof = proven.proof;
        return window
          .fetch(config.submitUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify(body),
          })
          .then(function (response) {
            return answer(response, proofRetried);
          });
      })
      .catch(function () {
        // no connection: the answers stay here, and go out (with a new proof) when the connection is back
        sending = false;
        waitingForConnection = true;
        show(texts.offline, "warning", { retry: true });
      });
  }

  function handle(status, text) {
    if (status >= 200 && status < 300) {
      finish(text);
    } else if (status === 409 || status === 404) {
      // already answered with this link, closed meanwhile, or the link was revoked: nothing left to send
      forgetProgress();
      showQuestionnaire(false);
      show(text || texts.failed, "warning");
    } else if (status === 400) {
      show(text || texts.failed, "error", { edit: true });
    } else if (status === 429 || status === 403) {
      // too many answers from this connection, or no valid proof even with a new one: the answers stay here
      show(text || texts.failed, "warning", { retry: true });
    } else {
      waitingForConnection = true;
      show(texts.serverError, "error", { retry: true });
    }
  }

  model.onValueChanged.add(function () {
    saveProgress(false);
  });
  model.onCurrentPageChanged.add(function () {
    saveProgress(false);
    showIntroduction();
  });
  model.onComplete.add(function () {
    showIntroduction();
    saveProgress(true);
    send();
  });

  retryButton.addEventListener("click", function () {
    send();
  });
  editButton.addEventListener("click", function () {
    result.hidden = true;
    model.clear(false, false);
    saveProgress(false);
    showQuestionnaire(true);
  });
  window.addEventListener("online", function () {
    if (waitingForConnection) {
      send();
    }
  });

  document.getElementById("survey-again").addEventListener("click", function () {
    doneBefore.hidden = true;
    showQuestionnaire(true);
  });

  var unsent = restoreProgress();
  showIntroduction();
  window.SurveyUI.renderSurvey(model, root);
  var store = storage();
  if (unsent) {
    showQuestionnaire(false);
    waitingForConnection = true;
    send(texts.resuming);
  } else if (store && doneKey && store.getItem(doneKey)) {
    showQuestionnaire(false);
    doneBefore.hidden = false;
  }
})();
