// survey-core's own verdict on generated cases, for the differential tests (test_expressions.py,
// test_conditions_differential.py): `node surveyjs_verdict.js cases.json` prints one JSON object.
//
// Input: {"now": <ms>, "expressions": [{"text", "values"}], "surveys": [{"definition", "answers": [data...]}]}.
// Output: {"expressions": [value...], "surveys": [[verdict...]...]}, values encoded as in encode() below.
"use strict";

const fs = require("fs");
const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

// The clock survey-core reads (today(), age(), currentDate()) is the one the Python side is given.
const RealDate = Date;
class FixedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(input.now);
    else super(...args);
  }
  static now() {
    return input.now;
  }
}
global.Date = FixedDate;

const { Model, ExpressionRunner } = require("survey-core");
console.warn = () => {};

function encode(value) {
  if (value === undefined) return { $undefined: true };
  if (value instanceof RealDate) return { $date: value.getTime() };
  if (typeof value === "number" && !Number.isFinite(value)) return { $number: String(value) };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === "object") {
    const result = {};
    for (const key of Object.keys(value)) result[key] = encode(value[key]);
    return result;
  }
  return value;
}

function runExpression(item) {
  try {
    const runner = new ExpressionRunner(item.text);
    if (!runner.canRun()) return { $error: "syntax" };
    return encode(runner.runValues(item.values, {}));
  } catch (error) {
    return { $error: String(error && error.message) };
  }
}

const CHOICE_PROPERTY = "visibleChoices";
const SELECT_TYPES = new Set(["radiogroup", "checkbox", "dropdown", "tagbox", "imagepicker", "ranking"]);

function isEmpty(question, value) {
  return question.isValueEmpty(value, !question.allowSpaceAsAnswer);
}

function verdict(survey, data) {
  survey.clear(true, true);
  survey.data = JSON.parse(JSON.stringify(data));
  // A dynamic matrix without an answer is sent both when its rows were left empty (which the page refuses) and
  // when the respondent removed them (which it takes): the server cannot tell them apart and takes the second,
  // so the rows are removed here too, down to the fewest the matrix keeps.
  for (const question of survey.getAllQuestions(false, false, true)) {
    if (question.getType() === "matrixdynamic" && !question.parentQuestion && question.isEmpty()) {
      question.rowCount = question.minRowCount;
    }
  }
  const result = { accept: true, questions: {}, reasons: [] };
  // the questions that carry an answer key (not the cells and items inside matrices and multiple texts)
  const all = survey
    .getAllQuestions(false, false, true)
    .filter((question) => !question.isContentElement && !question.parentQuestion);
  check(all, data, "", result);
  // a required page or panel shown wants one of its shown questions answered (PanelModelBase.validateRequired)
  for (const container of [...survey.pages, ...survey.getAllPanels(false, true)]) {
    let shown = true;
    for (let element = container; element; element = element.parent) shown = shown && element.isVisible;
    if (!shown || container.isReadOnly || !container.isRequired) continue;
    const errors = [];
    container.validateRequired({ setErrorElement() {} }, errors);
    if (errors.length) {
      result.accept = false;
      result.reasons.push(["required", container.name]);
    }
  }
  result.changed = JSON.stringify(survey.data) !== JSON.stringify(data);
  return result;
}

// The verdict on `all` questions, whose answers are in `data` (the survey's, or a dynamic panel entry's, or a
// matrix row's or multiple text's: `cells`, whose hidden values survey-core keeps on completing).
function check(all, data, prefix, result, cells) {
  const questions = {};
  const shownKeys = new Set();
  // the states first: checking a question for errors may rewrite a value survey-core cannot show
  for (const question of all) {
    const shown = question.isVisible && question.isParentVisible;
    if (shown) shownKeys.add(question.getValueName());
    const state = { visible: shown, required: question.isRequired, readOnly: question.isReadOnly };
    if (SELECT_TYPES.has(question.getType())) {
      const items = question[CHOICE_PROPERTY].filter((item) => item !== question.selectAllItem);
      state.choices = items.map((item) => item.value);
      state.enabled = items.filter((item) => item.isEnabled).map((item) => item.value);
    }
    questions[question.name] = state;
  }
  for (const question of all) {
    const state = questions[question.name];
    let errors = [];
    if (state.visible) {
      question.hasErrors(true);
      errors = question.errors
        .filter((error) => (error.notificationType || "error") === "error")
        .map((error) => error.getErrorType())
        .filter((type) => type === "required" || type === "custom");
    }
    state.errors = errors.sort();
  }
  for (const question of all) {
    const state = questions[question.name];
    const key = question.getValueName();
    const value = data[key];
    const answered = value !== undefined && !isEmpty(question, value);
    const comment = data[key + "-Comment"] !== undefined && !isEmpty(question, data[key + "-Comment"]);
    if ((answered || comment) && !shownKeys.has(key) && !cells) {
      result.accept = false;
      result.reasons.push(["hidden", prefix + question.name]);
    }
    if (!state.visible) continue;
    if (state.errors.length) {
      result.accept = false;
      result.reasons.push(["error", prefix + question.name]);
    }
    if (state.enabled && answered) {
      const chosen = Array.isArray(value) ? value : [value];
      for (const item of chosen) {
        if (!state.enabled.some((allowed) => allowed === item)) {
          result.accept = false;
          result.reasons.push(["choice", prefix + question.name]);
        }
      }
    }
    if (question.getType() === "paneldynamic" && Array.isArray(value)) {
      question.panels.forEach((panel, index) => {
        const entry = value[index] && typeof value[index] === "object" ? value[index] : {};
        check(panel.questions, entry, prefix + question.name + "[" + index + "].", result);
      });
    }
    if (question.getType() === "matrixdropdown" || question.getType() === "matrixdynamic") {
      const rowValues = (question.rows || []).map((row) => row.value);
      question.visibleRows.forEach((row, position) => {
        const index = question.getType() === "matrixdropdown" ? rowValues.indexOf(row.rowName) : position;
        const entry = row.value && typeof row.value === "object" ? row.value : {};
        const questions = row.cells.filter((cell) => cell.column).map((cell) => cell.question);
        check(questions, entry, prefix + question.name + "[" + index + "].", result, true);
      });
    }
    if (question.getType() === "multipletext") {
      const entry = value && typeof value === "object" ? value : {};
      check(question.items.map((item) => item.editor), entry, prefix + question.name + ".", result, true);
    }
  }
  for (const name of Object.keys(questions)) result.questions[prefix + name] = questions[name];
}

const output = {
  expressions: (input.expressions || []).map(runExpression),
  surveys: (input.surveys || []).map((item) => {
    const definition = Object.assign({}, item.definition, { keepIncorrectValues: true });
    // building a model costs more than checking answers, so one model serves all sets of a questionnaire;
    // every tenth set is checked again on a fresh model, and any difference (a trace of earlier answers)
    // fails the test instead of hiding in it
    // (a matrixdynamic keeps the row count of earlier answers: those questionnaires get a model per set)
    const fresh = JSON.stringify(definition).includes('"matrixdynamic"');
    const shared = new Model(definition);
    return item.answers.map((data, index) => {
      const result = verdict(fresh ? new Model(definition) : shared, data);
      if (index % 10 === 0 && JSON.stringify(verdict(new Model(definition), data)) !== JSON.stringify(result)) {
        result.reused_model_differs = true;
      }
      return result;
    });
  }),
};
process.stdout.write(JSON.stringify(output));
