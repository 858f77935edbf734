/* The respondent's questionnaire (templates/surveys/respond/survey.html): SurveyJS renders the definition,
   progress is kept in localStorage per link, and the answers are posted as JSON, kept and sent again when the
   connection is back or, after the tab was closed, when the link is opened again. The texts come from the page (translated there); this file holds no wording. */
(function () {
  "use strict";

  var root = document.getElementById("survey");
  if (!root || !window.Survey || !window.SurveyUI) {
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

  // A definition's texts are {"default": Dutch, "en": English}, while SurveyJS's own default language is English
  // (the one it shows, and marks up as lang="en", for the locale ""). Rewritten as {"default": English, "nl":
  // Dutch}, each language gets its own texts and the right lang attribute.
  function isText(value) {
    return (
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      typeof value["default"] === "string" &&
      Object.keys(value).every(function (key) {
        return typeof value[key] === "string";
      })
    );
  }

  function englishAsDefault(node) {
    if (Array.isArray(node)) {
      return node.map(englishAsDefault);
    }
    if (node === null || typeof node !== "object") {
      return node;
    }
    if (isText(node)) {
      var text = Object.assign({}, node, { nl: node.nl || node["default"] });
      text["default"] = node.en || node["default"];
      delete text.en;
      return text;
    }
    var copy = {};
    Object.keys(node).forEach(function (key) {
      copy[key] = englishAsDefault(node[key]);
    });
    return copy;
  }

  // SurveyJS fades pages and questions in; whoever asked the system for less motion gets none
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  window.Survey.settings.animationEnabled = !reducedMotion;
  // The icon sprite is written with innerHTML, where the CSP refuses style attributes; the only icon with one is
  // the timer's (unused here), so it gets a copy without it.
  window.Survey.SvgRegistry.registerIcon(
    "timercircle",
    '<svg viewBox="0 0 160 160"><circle cx="80" cy="80" r="70"/><circle cx="80" cy="80" r="70"/></svg>'
  );
  var model = new window.Survey.Model(withContactPage(englishAsDefault(definition)));
  model.locale = config.locale;
  model.showTitle = false;
  model.showCompletedPage = false;

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
    waitingForConnection = false;
    root.hidden = true;
    result.hidden = true;
    thanks.hidden = false;
    if (text) {
      document.getElementById("survey-thanks-message").textContent = text;
    }
    thanks.focus();
  }

  function send(text) {
    if (sending) {
      return;
    }
    sending = true;
    show(typeof text === "string" ? text : texts.sending, "info");
    window
      .fetch(config.submitUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload()),
      })
      .then(
        function (response) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (body) {
              sending = false;
              handle(response.status, body.message);
            });
        },
        function () {
          // no connection: the answers stay here, and go out when the connection is back
          sending = false;
          waitingForConnection = true;
          show(texts.offline, "warning", { retry: true });
        }
      );
  }

  function handle(status, text) {
    if (status >= 200 && status < 300) {
      finish(text);
    } else if (status === 409 || status === 404) {
      // already answered with this link, closed meanwhile, or the link was revoked: nothing left to send
      forgetProgress();
      root.hidden = true;
      show(text || texts.failed, "warning");
    } else if (status === 400) {
      show(text || texts.failed, "error", { edit: true });
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
  });
  model.onComplete.add(function () {
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
    root.hidden = false;
  });
  window.addEventListener("online", function () {
    if (waitingForConnection) {
      send();
    }
  });

  var unsent = restoreProgress();
  window.SurveyUI.renderSurvey(model, root);
  if (unsent) {
    root.hidden = true;
    waitingForConnection = true;
    send(texts.resuming);
  }
})();
