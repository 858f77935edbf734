/* What the respondent's questionnaire (survey-respond.js) and the editor's preview (survey-editor.js) share:
   SurveyJS set up for this site, and a definition's texts rewritten for SurveyJS's languages. */
(function () {
  "use strict";

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

  function configure(Survey) {
    // SurveyJS fades pages and questions in; whoever asked the system for less motion gets none
    var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    Survey.settings.animationEnabled = !reducedMotion;
    // The icon sprite is written with innerHTML, where the CSP refuses style attributes; the only icon with one
    // is the timer's (unused here), so it gets a copy without it.
    Survey.SvgRegistry.registerIcon(
      "timercircle",
      '<svg viewBox="0 0 160 160"><circle cx="80" cy="80" r="70"/><circle cx="80" cy="80" r="70"/></svg>'
    );
    // Where a rating scale does not fit the width, SurveyJS turns it into a drop-down that shows only the chosen
    // number ("4"); as buttons it wraps onto a second line instead (survey.css), one tap per answer on a phone. A
    // new default rather than a change to the definition: a drop-down the definition asks for stays one, and the
    // scales inside matrices and dynamic panels follow too.
    Survey.Serializer.findProperty("rating", "displayMode").defaultValue = "buttons";
  }

  window.VbSurvey = { englishAsDefault: englishAsDefault, configure: configure };
})();
