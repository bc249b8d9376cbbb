// An inspection drawn from its rubric: items (show_if, requires_option), photos, the position,
// the result scored on the phone, and what got worse since the last approved visit. Every
// change is kept as a draft; "保存" turns the draft into an outbox record, offline or not.
// A report of a house on no list carries its address, note and position, and may include
// one photo of the house or the first survey. The draft's way in and out (task, report or
// correction to draft; draft to outbox operation) is drafts.js; this screen edits it.

import { setMeta } from "../db.js";
import { h } from "../dom.js";
import { REPORT_SLOT, answersToSend, draftToOp, isReport, recordSummary, withSurvey } from "../drafts.js";
import { PositionTracker, describeFix } from "../geo.js";
import { KIND_LABELS, dayLabel, optionLabels } from "../labels.js";
import { commitDraft, discardDraft, saveDraft } from "../records.js";
import { answerErrors, checkPhotos, compare, score, shownSlots, visibleItems } from "../rubric-engine.js";
import { renderItem, urgentChosen } from "./item-field.js";
import { fastPathItems, lastVisitBox, normalValue } from "./last-visit.js";
import { nearestKnown, suggestionBox } from "./address-suggest.js";
import { PhotoSlots } from "./photo-slots.js";
import { resultBox } from "./result-summary.js";
import { SLOT as REQUEST_SLOT, requestedSpotErrors } from "../requested-spot.js";
import { spotMarkFigure } from "./spot-mark.js";

const FAST_PATHS = [
  { kind: "not_applicable", label: "この区分はすべて当たらない", short: "当たらない" },
  { kind: "unseen", label: "この区分は道路から確認できない", short: "確認できない" },
];
const shortLabel = (item) => item.label.replace(/（.*$/, "");
const fastOption = (item, kind) => (item.options ?? []).find((option) => option.fast_path === kind) ?? null;

class InspectionForm {
  constructor({ draft, rubric, lastApproved = null, login, onDone, knownProperties = [] }) {
    this.knownProperties = knownProperties;
    this.draft = draft;
    this.rubric = rubric;
    this.lastApproved = lastApproved;
    this.login = login;
    this.onDone = onDone;
    this.attempted = false;
    this.saving = false;
    this.tracker = new PositionTracker();
    this.items = new Map();
    this.container = h("section.form");
    this.build();
    this.tracker.addEventListener("change", () => this.showPosition());
    this.tracker.start();
    this.refresh();
  }

  get isReport() { return isReport(this.draft); }
  get withSurvey() { return withSurvey(this.draft, this.rubric); }

  build() {
    const d = this.draft;
    this.position = h("p.geo", { role: "status" });
    this.resultArea = h("div.result", { hidden: true });
    this.errorsArea = h("div.note-bad", { hidden: true, role: "alert" });
    this.saveButton = h("button.btn.primary.wide", { type: "button", onclick: () => this.save() }, "保存する");
    this.surveyArea = h("div");
    if (this.rubric) this.buildSurvey();
    this.container.append(...[
      h("h1", this.isReport ? "空き家の報告" : d.supersedes ? "差し戻された記録の訂正" : KIND_LABELS[d.kind] ?? "記録"),
      this.isReport ? this.reportFields() : this.header(),
      this.position, this.surveyArea,
      this.isReport ? null : h("details.field.notes", { open: Boolean(d.notes) },
        h("summary", "備考（局への連絡事項など）を書く"),
        h("textarea", { id: "inspection-notes", rows: 3, maxLength: 2000, value: d.notes, "aria-label": "備考（局への連絡事項など）",
          oninput: (e) => { d.notes = e.target.value; this.changed(); } })),
      this.resultArea, this.errorsArea,
      h("div.save-bar", this.saveButton,
        h("div.row",
          h("button.btn", { type: "button", onclick: () => this.leave() }, "あとで続ける"),
          h("button.btn.danger", { type: "button", onclick: () => this.discard() }, "下書きを捨てる"))),
    ].filter(Boolean)); // append() would print a null as 「null」
  }

  // Which house, what was asked, what last visit found: all above the first question.
  header() {
    const d = this.draft;
    return h("div.form-head",
      h("div.address", d.title || "（住所なし）"),
      h("div.tags", d.due ? h("span.tag", `期限 ${dayLabel(d.due)}`) : null,
        this.askedOptions().length ? h("span.tag.warn.options", `オプション: ${optionLabels(this.askedOptions())}`) : null),
      d.requested_spot ? h("p.memo.requested-spot", h("strong", "所有者のご依頼箇所: "), d.requested_spot,
        h("span.req", "必須"), h("br"), "様子を書いて写真を撮るか、確認できなかった理由を選びます。") : null,
      d.requested_spot && d.requested_spot_mark ? spotMarkFigure(d.requested_spot_mark) : null,
      d.memo && d.memo !== `ご依頼箇所：${d.requested_spot}` && d.memo !== d.requested_spot
        ? h("p.memo", h("strong", "ご依頼・メモ: "), d.memo) : null,
      d.supersedes && d.return_comment ? h("p.note-bad.return-comment", h("strong", "差し戻しの理由: "), d.return_comment) : null,
      this.rubric ? lastVisitBox(this.rubric, this.lastApproved) : null,
      this.fastPathButton());
  }

  // The task's paid options this form has questions for (災害後見回り is a visit of its own).
  askedOptions() {
    const asked = new Set((this.rubric?.sections ?? []).flatMap((s) => s.items).map((item) => item.requires_option).filter(Boolean));
    return this.draft.options.filter((option) => asked.has(option));
  }

  // The fast path: every fixed item to its normal answer in one tap; the carrier changes the exceptions.
  fastPathButton() {
    if (!this.rubric || !["watch", "disaster"].includes(this.rubric.kind)) return null;
    this.fastNote = h("p.help", { role: "status" });
    return h("div.fast-path",
      h("button.btn.primary.wide", { type: "button", dataset: { action: "all-normal" }, onclick: () => this.allNormal() },
        "すべて異常なし"),
      this.fastNote);
  }

  allNormal() {
    const d = this.draft;
    const items = fastPathItems(this.rubric, d.answers, d.options).filter((item) => d.answers[item.key] === undefined);
    for (const item of items) {
      d.answers[item.key] = normalValue(item);
      this.items.get(item.key)?.setValue(d.answers[item.key]);
    }
    this.fastNote.textContent = items.length
      ? `${items.length}項目を「異常なし」にしました。違う所だけ直します。`
      : "未回答の確認項目はありません。";
    this.refresh();
    this.changed();
  }

  reportFields() {
    const report = this.draft.report;
    const toggle = h("input", { type: "checkbox", checked: report.with_survey });
    toggle.addEventListener("change", () => { report.with_survey = toggle.checked; this.refresh(); this.changed(); });
    const address = h("input", { id: "report-address", type: "text", maxLength: 300, value: report.address_text,
      autocomplete: "off", oninput: (e) => { report.address_text = e.target.value; this.changed(); } });
    this.suggestArea = h("div.suggest-area", { role: "status" });
    this.useSuggestion = (text) => { address.value = text; report.address_text = text; this.changed(); address.focus(); };
    // One optional photo of the house without the survey; it goes through the outbox like any photo.
    this.reportPhoto = new PhotoSlots({ rubric: { photo_slots: [REPORT_SLOT] }, draft: this.draft, tracker: this.tracker,
      help: "任意です。道路から家の全体を1枚撮ってください。",
      onChange: () => { this.refresh(); this.changed(); } });
    return h("div.form-head",
      h("p.help", "リストにない空き家らしい家を報告します。敷地には入らず、道路から確認してください。"),
      h("div.field", h("label", { htmlFor: "report-address" }, "住所（表札・住居表示から）", h("span.req", "必須")),
        address, this.suggestArea),
      h("div.field", h("label", { htmlFor: "report-note" }, "気づいたこと"),
        h("textarea", { id: "report-note", rows: 3, maxLength: 2000, value: report.notes,
          oninput: (e) => { report.notes = e.target.value; this.changed(); } })),
      this.reportPhoto.container,
      this.rubric ? h("label.choice.multi", toggle, "初回の空き家調査も記入する（写真はこちらで撮影）") : null);
  }

  buildSurvey() {
    const d = this.draft;
    this.sections = this.rubric.sections.map((section) => {
      const fields = section.items.map((item) => {
        const field = renderItem(item, d.answers[item.key], this.lastApproved?.answers?.[item.key], (value) => {
          if (value === undefined) delete d.answers[item.key];
          else d.answers[item.key] = value;
          this.refresh();
          this.changed();
        });
        this.items.set(item.key, field);
        return field;
      });
      // Optional items fold away (open when answered or when the task carries a request), so
      // the required ones fit on fewer screens.
      const optional = section.items.map((item, i) => [item, fields[i]]).filter(([item]) => !item.required);
      const foldFrom = section.items.some((item) => item.options?.some((option) => option.fast_path)) ? 1 : 2;
      const folded = optional.length >= foldFrom ? h("details.optional", {
        open: Boolean(d.memo) || Boolean(d.requested_spot) || optional.some(([item]) => d.answers[item.key] !== undefined) },
      h("summary", `任意の項目（${optional.length}件）`), optional.map(([, f]) => f)) : null;
      const shown = folded ? fields.filter((f) => !optional.some(([, o]) => o === f)) : fields;
      const s = { keys: section.items.map((i) => i.key), items: section.items };
      s.filled = h("details.filled", { hidden: true }, h("summary"));
      s.element = h("section", { dataset: { section: section.key } }, h("h2", section.title),
        this.sectionButtons(s), shown, s.filled, folded);
      return s;
    });
    // A slot's waiver (the reason it could not be photographed) is drawn beside the slot.
    const waivers = new Map(this.rubric.photo_slots.filter((slot) => slot.waiver_item && this.items.has(slot.waiver_item))
      .map((slot) => [slot.key, this.items.get(slot.waiver_item)]));
    for (const s of this.sections) {
      s.waiversOnly = s.keys.every((key) => [...waivers.values()].includes(this.items.get(key)));
    }
    this.photos = new PhotoSlots({ rubric: this.rubric, draft: d, tracker: this.tracker, waivers,
      guides: this.lastApproved?.photos ?? [],
      onChange: () => { this.refresh(); this.changed(); } });
    this.worse = h("div.note-warn", { hidden: true, role: "status" });
    this.surveyArea.append(...this.sections.map((s) => s.element), this.worse, this.photos.container);
  }

  // 「この区分はすべて当たらない」/「この区分は道路から確認できない」: one tap answers every unanswered
  // item of the section that has such an option; the answered items fold away under one line,
  // so the carrier sees (and changes) only the exceptions.
  sectionButtons(section) {
    const kinds = FAST_PATHS.filter(({ kind }) => section.items.some((item) => fastOption(item, kind)));
    if (!kinds.length) return null;
    section.note = h("p.help", { role: "status" });
    return h("div.section-fast",
      h("div.row", kinds.map(({ kind, label }) => h("button.btn.fast", { type: "button", dataset: { fast: kind },
        onclick: () => this.fillSection(section, kind) }, label))),
      section.note);
  }

  fillSection(section, kind) {
    const d = this.draft;
    const visible = new Set(visibleItems(this.rubric, d.answers, d.options).map((i) => i.key));
    const filled = section.items.filter((item) => item.required && visible.has(item.key)
      && d.answers[item.key] === undefined && fastOption(item, kind));
    for (const item of filled) {
      d.answers[item.key] = fastOption(item, kind).value;
      this.items.get(item.key).setValue(d.answers[item.key]);
    }
    // Every answered required item of the section folds away: the section shrinks to one line
    // naming the answers that are not 「当たらない」, and the unanswered ones stay in view.
    const answered = section.items.filter((item) => item.required && visible.has(item.key) && d.answers[item.key] !== undefined);
    for (const item of answered) section.filled.append(this.items.get(item.key));
    section.folded = answered;
    section.filled.hidden = answered.length === 0;
    this.summarise(section);
    const left = section.items.filter((item) => item.required && visible.has(item.key) && d.answers[item.key] === undefined);
    section.note.textContent = `${filled.length}項目を「${FAST_PATHS.find((f) => f.kind === kind).short}」にしました。`
      + (left.length ? `残り${left.length}項目を選んでください。` : "");
    this.refresh();
    this.changed();
  }

  // The folded section's one line: how many answers, the ones that are not 「当たらない」, the unseen count.
  summarise(section) {
    const d = this.draft;
    const answered = (section.folded ?? []).filter((item) => d.answers[item.key] !== undefined);
    if (!answered.length) return;
    const chosen = (item) => item.options.find((option) => option.value === d.answers[item.key]);
    const unseen = answered.filter((item) => chosen(item)?.fast_path === "unseen");
    const others = answered.filter((item) => !chosen(item)?.fast_path);
    section.filled.querySelector("summary").replaceChildren(...[`回答済み ${answered.length}項目（開いて直せます）`,
      others.length ? h("span.exceptions", others.map((item) => `${shortLabel(item)}: ${chosen(item)?.label ?? ""}`).join("、")) : null,
      unseen.length ? h("span.exceptions", `確認できない ${unseen.length}項目`) : null].filter(Boolean));
  }

  answers() { return answersToSend(this.rubric, this.draft); }

  problems() {
    const problems = [];
    if (this.isReport) {
      if (!this.draft.report.address_text.trim()) problems.push({ item: "report-address", message: "住所を入力してください。" });
      if (!this.tracker.latest) problems.push({ item: "position", message: "位置が取れないと報告できません。空の見える所で位置情報を許可してください。" });
    }
    if (this.withSurvey) {
      const answers = this.answers();
      problems.push(...answerErrors(this.rubric, answers, this.draft.options));
      problems.push(...checkPhotos(this.rubric, Object.keys(this.draft.photos), answers, this.draft.options).map((p) => ({ ...p, slot: true })));
      problems.push(...requestedSpotErrors(this.rubric, this.draft.requested_spot, answers, Object.keys(this.draft.photos))
        .map((p) => (p.item === REQUEST_SLOT ? { ...p, slot: true } : p)));
    }
    return problems;
  }

  refresh() {
    if (this.reportPhoto) this.reportPhoto.container.hidden = this.withSurvey;
    if (this.rubric) {
      this.surveyArea.hidden = !this.withSurvey;
      const visible = new Set(visibleItems(this.rubric, this.draft.answers, this.draft.options).map((i) => i.key));
      for (const [key, field] of this.items) field.hidden = !visible.has(key);
      // Slots of another work or of an area not chosen (option_work) are not drawn.
      const slots = new Set(shownSlots(this.rubric, this.draft.answers, this.draft.options));
      for (const [key, view] of this.photos.slots) view.element.hidden = !slots.has(key);
      for (const section of this.sections) {
        section.element.hidden = section.waiversOnly || !section.keys.some((k) => visible.has(k));
        this.summarise(section); // an answer changed inside the fold shows in its line
      }
      this.showResult();
    }
    if (this.attempted) this.showProblems(this.problems());
    this.saveButton.disabled = this.saving || (this.photos?.busy ?? 0) + (this.reportPhoto?.busy ?? 0) > 0;
  }

  showResult() {
    const answers = this.answers();
    const scored = score(this.rubric, answers, this.draft.options);
    const changes = this.lastApproved ? compare(this.rubric, this.lastApproved.answers, answers) : [];
    const worse = changes.filter((c) => c.direction === "worse");
    this.worse.hidden = !worse.length;
    this.worse.replaceChildren(h("strong", "前回より悪くなった項目があります。写真と内容を確かめてください。"),
      h("ul", worse.map((c) => h("li", `${c.label}: ${c.before} → ${c.after}`))));
    this.resultArea.hidden = !this.withSurvey || this.rubric.kind === "work"; // a work record is facts: nothing to judge
    this.resultArea.replaceChildren(h("strong.result-title", "判定（この端末で計算）"), scored.ok
      ? resultBox(this.rubric, scored.result)
      : h("p", `未回答・要修正の項目があと ${scored.errors.length} 件あります。`));
  }

  showProblems(problems) {
    const byItem = new Map(problems.filter((p) => !p.slot).map((p) => [p.item, p.message]));
    for (const [key, field] of this.items) field.showError(byItem.get(key));
    this.photos?.showErrors(new Set(problems.filter((p) => p.slot).map((p) => p.item)));
    this.errorsArea.hidden = !problems.length;
    const link = (p) => h("a", { href: "#", onclick: (e) => { e.preventDefault(); this.goTo(p); } }, p.message);
    this.errorsArea.replaceChildren(h("strong", `保存する前に直してください（${problems.length}件）`),
      h("ul", problems.map((p) => h("li", link(p)))));
  }

  // The element a problem is about: an item, a photo slot, the report's address or the position.
  target(problem) {
    if (problem.slot) return this.photos?.slots.get(problem.item)?.element ?? null;
    if (problem.item === "position") return this.position;
    if (problem.item === "report-address") return this.container.querySelector("#report-address");
    return this.items.get(problem.item) ?? null;
  }

  goTo(problem) {
    const element = this.target(problem);
    if (!element) return;
    const folded = element.closest("details");
    if (folded) folded.open = true;
    element.scrollIntoView({ block: "center" });
    const focusable = element.matches("input, textarea") ? element : element.querySelector("input, textarea, label.btn");
    focusable?.focus({ preventScroll: true });
  }

  showPosition() {
    if (this.suggestArea) {
      this.suggestArea.replaceChildren(suggestionBox(nearestKnown(this.knownProperties, this.tracker.latest), this.useSuggestion));
    }
    const { level, text } = describeFix(this.tracker.latest, this.tracker.problem);
    this.position.className = `geo note-${level}`;
    this.position.textContent = text;
    if (this.tracker.latest) setMeta("last_fix", this.tracker.latest).catch(() => {}); // the list walks on from here
    if (this.tracker.first && !this.draft.start_fix) {
      this.draft.start_fix = this.tracker.first;
      this.changed();
    }
  }

  changed() {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => saveDraft(this.draft), 250);
  }

  async save() {
    this.attempted = true;
    const problems = this.problems();
    this.refresh();
    if (problems.length) {
      this.goTo(problems[0]);
      return;
    }
    this.saving = true;
    this.saveButton.disabled = true;
    clearTimeout(this.pending);
    const d = this.draft;
    const { op, photos } = draftToOp(d, this.rubric, this.tracker.latest ?? d.start_fix);
    const urgent = this.withSurvey ? this.urgentFindings() : [];
    const record = await commitDraft(d, op, photos, { ...recordSummary(d, op, this.rubric), urgent }, this.login);
    this.close();
    this.onDone({ saved: record });
  }

  // The answers marked urgent, as 「項目: 答え」: the outbox sends such a record first.
  urgentFindings() {
    const answers = this.answers();
    return visibleItems(this.rubric, answers, this.draft.options).filter((item) => urgentChosen(item, answers[item.key]))
      .map((item) => `${item.label}: ${item.options.filter((o) => o.urgent && [answers[item.key]].flat().includes(o.value)).map((o) => o.label).join("、")}`);
  }

  leave() {
    clearTimeout(this.pending);
    saveDraft(this.draft).then(() => { this.close(); this.onDone({}); });
  }

  async discard() {
    if (!window.confirm("この下書きと撮った写真を捨てます。よろしいですか？")) return;
    clearTimeout(this.pending);
    await discardDraft(this.draft.id);
    this.close();
    this.onDone({});
  }

  close() { this.tracker.stop(); }
}

// The form as a screen: its element. It watches the position until it is saved, left or
// discarded, or until `signal` aborts (the carrier went to another screen).
export function inspectionFormView({ signal, ...options }) {
  const form = new InspectionForm(options);
  signal?.addEventListener("abort", () => form.close(), { once: true });
  return form.container;
}
