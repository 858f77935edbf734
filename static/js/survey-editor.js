/* The questionnaire editor's preview (templates/surveys/editor/_macros.html): SurveyJS renders the stored
   definition as the respondent sees it, answerable to try the conditions but without a complete button, so
   nothing is sent. On a question's page it opens that question's page and shows its title as it is typed. */
(function () {
  "use strict";

  var root = document.getElementById("survey-preview");
  if (!root || !window.Survey || !window.SurveyUI || !window.VbSurvey) {
    return;
  }
  var definition = JSON.parse(document.getElementById("survey-definition").textContent);
  var config = JSON.parse(document.getElementById("survey-preview-config").textContent);

  window.VbSurvey.configure(window.Survey);
  var model = new window.Survey.Model(window.VbSurvey.englishAsDefault(definition));
  model.locale = config.locale;
  model.showTitle = false;
  model.showCompleteButton = false;
  model.showCompletedPage = false;
  if (typeof config.page === "number" && config.page > 0 && config.page < model.pageCount) {
    var page = model.pages[config.page];
    if (page.isVisible) {
      model.currentPage = page;
    }
  }

  // The title and description fields of the language shown follow into the preview while they are typed in
  var question = config.question ? model.getQuestionByName(config.question) : null;
  var suffix = config.locale === "en" ? "_en" : "_nl";
  [
    ["question-title" + suffix, "title"],
    ["question-description" + suffix, "description"],
  ].forEach(function (pair) {
    var input = document.getElementById(pair[0]);
    if (question && input) {
      input.addEventListener("input", function () {
        question[pair[1]] = input.value;
      });
    }
  });

  // on a wide screen the preview scrolls by itself beside the forms: it starts at the question
  var box = root.closest(".vb-editor__preview");
  model.onAfterRenderQuestion.add(function (sender, options) {
    if (box && options.question === question) {
      box.scrollTop += options.htmlElement.getBoundingClientRect().top - box.getBoundingClientRect().top - 16;
    }
  });

  window.SurveyUI.renderSurvey(model, root);
})();
