/**
 * A school day of one class (a teacher and 29 students), to count what polling costs.
 *
 * The day is drawn from a fixed-seed generator: two lessons in session with bursts of messages
 * (the teacher asks, students answer within a couple of minutes, reactions follow), other
 * lessons with the tab hidden, breaks and lunch, homework in the afternoon, the evening quiet
 * with a few tabs left open. Every person's page is a timeline of closed / hidden / visible
 * seconds, with their input (typing, clicks) and sends.
 *
 * The polling clients' scheduling runs on a virtual clock: the same `pollDueAt` and
 * `pollAfterMs` the web app, the typed client and the server use (core/src/polling.ts), so a
 * day takes milliseconds. Compared: a fixed 3 s poll while the page is open, the same paused
 * while the tab is hidden (the web app before adaptive polling), and the adaptive pace.
 *
 * Then a sample of the day runs against the real stack: the day's messages and reactions are
 * sent for real, in the day's order, interleaved with a sample of each person's polls (their
 * own cursor chain, real tokens), until a time budget runs out; a final poll collects the rest.
 * Each person must have received every message sent exactly once and in order, and every
 * answer must carry the hint.
 */
import type * as Chat from "@classroom/core/chat";
import { POLL_FAST_MS, POLL_SLOW_MS, type PollState, pollAfterMs, pollDueAt } from "@classroom/core/polling";
import type { Traffic } from "./cost.ts";
import type { Api } from "./http.ts";
import { Recorder, type Summary, round } from "./stats.ts";
import { type StackInfo, makeClass, makeUsers } from "./world.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY_SECONDS = 24 * 3600;
/** The shell's inbox poll (apps/web/src/notifications/useInbox.ts): every 15 s while the tab is visible. */
const INBOX_POLL_MS = 15_000;

const CLOSED = 0;
const HIDDEN = 1;
const VISIBLE = 2;

/** A fixed-seed generator (mulberry32), so every run simulates the same day. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    between: (low: number, high: number) => low + (high - low) * next(),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

const at = (hours: number, minutes = 0) => hours * HOUR + minutes * MINUTE;

export interface Day {
  people: number;
  /** Per person: the page's state each second of the day (closed, hidden, visible). */
  presence: Uint8Array[];
  /** Per person: when they typed or clicked (ms since midnight, sorted). */
  input: number[][];
  /** Messages and reactions in the order they happen (ms since midnight). */
  messages: Array<{ t: number; by: number }>;
  reactions: Array<{ t: number; by: number; message: number }>;
}

/** Draws the day. Person 0 is the teacher. */
export function drawDay(people = 30, seed = 17): Day {
  const random = generator(seed);
  const presence = Array.from({ length: people }, () => new Uint8Array(DAY_SECONDS));
  const input: number[][] = Array.from({ length: people }, () => []);
  const sends: Array<{ t: number; by: number }> = [];
  const paint = (person: number, from: number, to: number, state: number) => presence[person]!.fill(state, Math.max(0, Math.floor(from / SECOND)), Math.min(DAY_SECONDS, Math.ceil(to / SECOND)));
  const students = Array.from({ length: people - 1 }, (_, i) => i + 1);
  const everyone = [0, ...students];
  /** A message: the sender's tab is visible around it, and they type before sending. */
  const send = (by: number, t: number) => {
    const typing = random.between(8, 40) * SECOND;
    sends.push({ t, by });
    input[by]!.push(t - typing, t);
    if (presence[by]![Math.floor(t / SECOND)] !== VISIBLE) paint(by, t - typing - 5 * SECOND, t + random.between(20, 90) * SECOND, VISIBLE);
  };
  /** Clicks now and then while visible (reading, opening posts): every `low`..`high` minutes. */
  const browse = (person: number, from: number, to: number, low: number, high: number) => {
    for (let t = from + random.between(low, high) * MINUTE; t < to; t += random.between(low, high) * MINUTE) input[person]!.push(t);
  };

  // Before school: some look at the class on the way in.
  for (const s of students) {
    if (random.chance(0.4)) {
      const t = at(7, 30) + random.between(0, 25) * MINUTE;
      paint(s, t, t + random.between(2, 5) * MINUTE, VISIBLE);
      input[s]!.push(t);
    }
  }

  // Between lessons the page stays open: most tabs hidden (another subject, another app), a few visible and idle.
  const elsewhere = (from: number, to: number, straysPerHour: number) => {
    for (const p of everyone) {
      const r = random.next();
      const state = r < 0.8 ? HIDDEN : r < 0.95 ? VISIBLE : CLOSED;
      paint(p, from, to, state);
      if (state === VISIBLE) browse(p, from, to, 10, 20);
    }
    for (let t = from + random.between(0, 60 / straysPerHour) * MINUTE; t < to; t += random.between(0.5, 1.5) * (60 / straysPerHour) * MINUTE) send(random.pick(everyone), t);
  };

  // A lesson in session: everyone in, a few hide the tab for a while; the teacher asks, students answer in a burst.
  const lesson = (from: number, to: number, questions: number) => {
    for (const p of everyone) {
      const arrive = from + random.between(0, 3) * MINUTE;
      paint(p, arrive, to, VISIBLE);
      input[p]!.push(arrive);
      browse(p, arrive, to, 2, 8);
      if (p !== 0 && random.chance(0.25)) {
        const away = from + random.between(5, 35) * MINUTE;
        paint(p, away, away + random.between(5, 15) * MINUTE, HIDDEN);
      }
    }
    const gap = (to - from - 8 * MINUTE) / questions;
    for (let q = 0; q < questions; q++) {
      const asked = from + 5 * MINUTE + q * gap + random.between(0, 3) * MINUTE;
      send(0, asked);
      const answering = [...students].sort(() => random.next() - 0.5).slice(0, Math.round(random.between(8, 15)));
      for (const s of answering) send(s, asked + random.between(20, 150) * SECOND);
      for (let f = 0; f < 2; f++) send(0, asked + random.between(60, 200) * SECOND);
    }
  };

  lesson(at(8), at(8, 50), 4);
  elsewhere(at(8, 50), at(11, 40), 1);
  // A short burst at the morning break.
  for (let i = 0; i < 5; i++) send(random.pick(students), at(10, 30) + random.between(0, 10) * MINUTE);
  // Lunch: half close the app.
  for (const p of everyone) paint(p, at(11, 40), at(12, 20), random.chance(0.5) ? CLOSED : HIDDEN);
  for (let i = 0; i < 6; i++) send(random.pick(students), at(12) + random.between(0, 8) * MINUTE);
  lesson(at(12, 20), at(13, 10), 3);
  elsewhere(at(13, 10), at(15), 1);

  // After school: most close the app; homework later, each in one sitting of 20-40 minutes.
  const keepsOpen = everyone.map(() => random.chance(0.4));
  for (const p of everyone) paint(p, at(15), at(19), keepsOpen[p] ? HIDDEN : CLOSED);
  for (const s of students) {
    if (!random.chance(0.7)) continue;
    const start = at(16) + random.between(0, 150) * MINUTE;
    const end = start + random.between(20, 40) * MINUTE;
    paint(s, start, end, VISIBLE);
    input[s]!.push(start);
    browse(s, start, end, 1, 5);
    if (random.chance(0.5)) for (let i = 0; i < (random.chance(0.5) ? 2 : 1); i++) send(s, start + random.between(3, 18) * MINUTE);
  }
  paint(0, at(17), at(17, 30), VISIBLE);
  input[0]!.push(at(17));
  browse(0, at(17), at(17, 30), 1, 4);
  for (let i = 0; i < 4; i++) send(0, at(17, 2) + i * 7 * MINUTE);

  // Evening: quiet; a quarter leave the tab open (hidden) until late.
  for (const p of everyone) {
    if (random.chance(0.25)) paint(p, at(19), at(21) + random.between(0, 120) * MINUTE, HIDDEN);
    else paint(p, at(19), at(24), CLOSED);
  }
  send(random.pick(students), at(20, 30));

  sends.sort((a, b) => a.t - b.t);
  // Reactions: a few after each message, by people looking at the chat then.
  const reactions: Day["reactions"] = [];
  sends.forEach((message, index) => {
    for (let r = 0; r < 3; r++) {
      if (!random.chance(0.25)) continue;
      const t = message.t + random.between(5, 60) * SECOND;
      const by = random.pick(everyone);
      if (presence[by]![Math.floor(t / SECOND)] !== VISIBLE) continue;
      reactions.push({ t, by, message: index });
      input[by]!.push(t);
    }
  });
  reactions.sort((a, b) => a.t - b.t);
  for (const list of input) list.sort((a, b) => a - b);
  return { people, presence, input, messages: sends, reactions };
}

export type Pace = "fixed 3 s while open" | "fixed 3 s, paused while hidden" | "adaptive";
export const PACES: readonly Pace[] = ["fixed 3 s while open", "fixed 3 s, paused while hidden", "adaptive"];

interface Change {
  t: number;
  kind: "open" | "close" | "hide" | "show" | "input";
}

/** A person's page as events: state changes (from the seconds) and input while the page is open. */
function changes(day: Day, person: number): Change[] {
  const presence = day.presence[person]!;
  const list: Change[] = [];
  let previous = CLOSED;
  for (let s = 0; s < DAY_SECONDS; s++) {
    const state = presence[s]!;
    if (state === previous) continue;
    const t = s * SECOND;
    if (previous === CLOSED) list.push({ t, kind: "open" });
    if (state === CLOSED) list.push({ t, kind: "close" });
    else if (state === HIDDEN) list.push({ t, kind: "hide" });
    else list.push({ t, kind: "show" });
    previous = state;
  }
  if (previous !== CLOSED) list.push({ t: DAY_SECONDS * SECOND, kind: "close" });
  for (const t of day.input[person]!) if (presence[Math.floor(t / SECOND)] !== CLOSED) list.push({ t, kind: "input" });
  return list.sort((a, b) => a.t - b.t);
}

/** Every poll one person's client makes through the day at `pace` (ms since midnight). */
export function simulatePolls(day: Day, person: number, pace: Pace): number[] {
  // What changes the class's chat: messages and reactions (both move what a poll brings).
  const news = [...day.messages.map((m) => m.t), ...day.reactions.map((r) => r.t)].sort((a, b) => a - b);
  let seen = 0; // news items up to the last poll
  let latest = -1; // index of the newest news item at or before a time
  const polls: number[] = [];
  const state: PollState = { answeredAt: 0, hintMs: null, newMessages: false, inputAt: 0, hidden: false };
  let open = false;
  let due = Number.POSITIVE_INFINITY;

  const plan = () => {
    if (!open) return Number.POSITIVE_INFINITY;
    if (pace === "adaptive") return pollDueAt(state);
    if (pace === "fixed 3 s, paused while hidden" && state.hidden) return Number.POSITIVE_INFINITY;
    return state.answeredAt + POLL_FAST_MS;
  };
  const poll = (t: number) => {
    polls.push(t);
    while (latest + 1 < news.length && news[latest + 1]! <= t) latest++;
    state.newMessages = latest + 1 > seen;
    seen = latest + 1;
    state.hintMs = pollAfterMs(latest >= 0 ? t - news[latest]! : Number.POSITIVE_INFINITY);
    state.answeredAt = t;
    due = plan();
  };

  for (const change of changes(day, person)) {
    while (due <= change.t) poll(due);
    const t = change.t;
    if (change.kind === "open") {
      open = true;
      Object.assign(state, { answeredAt: t - POLL_FAST_MS, hintMs: null, newMessages: false, inputAt: t, hidden: false });
      due = t;
    } else if (change.kind === "close") {
      open = false;
      due = Number.POSITIVE_INFINITY;
    } else if (change.kind === "hide") {
      state.hidden = true;
      due = plan();
    } else if (change.kind === "show") {
      state.hidden = false;
      state.inputAt = t;
      due = t; // polls at once when the tab is visible again (both before and after)
    } else {
      state.inputAt = t;
      due = Math.max(t, plan());
    }
  }
  return polls;
}

export interface SchoolDayResult {
  people: number;
  messages: number;
  reactions: number;
  /** Hours per person, averaged: page visible, and open but hidden. */
  visibleHours: number;
  hiddenHours: number;
  /** Per pace, per person per day: chat polls, and all requests (polls, the inbox poll, page loads, sends and reactions). */
  perPace: Array<{ pace: Pace; pollsPerUser: number; requestsPerUser: number; busiest: number; quietest: number }>;
  inboxPerUser: number;
  pageLoadsPerUser: number;
  writesPerUser: number;
  /** The real-stack sample. */
  sample: Summary & { polls: number; sends: number; reactions: number; skipped: number; lost: number; duplicated: number; outOfOrder: number; hints: number[]; seconds: number };
  simulateMs: number;
  /** The adaptive day's requests per person, for the cost model. */
  traffic: Traffic;
}

/** Simulates the day for every pace, then replays a sample of it against the stack. */
export async function schoolDay(api: Api, stack: StackInfo, samplePolls = 300, budgetSeconds = 35): Promise<SchoolDayResult> {
  const began = performance.now();
  const day = drawDay();
  const people = day.people;
  let visibleSeconds = 0;
  let hiddenSeconds = 0;
  let pageLoads = 0;
  for (const presence of day.presence) {
    let previous = CLOSED;
    for (const state of presence) {
      if (state === VISIBLE) visibleSeconds++;
      else if (state === HIDDEN) hiddenSeconds++;
      if (previous === CLOSED && state !== CLOSED) pageLoads++;
      previous = state;
    }
  }
  // The inbox poll runs while the tab is visible; a page load asks for the first chat page.
  const inbox = Math.floor((visibleSeconds * SECOND) / INBOX_POLL_MS);
  const writes = day.messages.length + day.reactions.length;
  const adaptivePolls: number[][] = [];
  const perPace = PACES.map((pace) => {
    const counts = Array.from({ length: people }, (_, person) => {
      const polls = simulatePolls(day, person, pace);
      if (pace === "adaptive") adaptivePolls.push(polls);
      return polls.length;
    });
    const total = counts.reduce((a, b) => a + b, 0);
    return {
      pace,
      pollsPerUser: Math.round(total / people),
      requestsPerUser: Math.round((total + inbox + pageLoads + writes) / people),
      busiest: Math.max(...counts),
      quietest: Math.min(...counts),
    };
  });
  const simulateMs = Math.round(performance.now() - began);

  const sample = await replay(api, stack, day, adaptivePolls, samplePolls, began + budgetSeconds * 1000);
  return {
    people,
    messages: day.messages.length,
    reactions: day.reactions.length,
    visibleHours: round(visibleSeconds / 3600 / people, 1),
    hiddenHours: round(hiddenSeconds / 3600 / people, 1),
    perPace,
    inboxPerUser: Math.round(inbox / people),
    pageLoadsPerUser: round(pageLoads / people, 1),
    writesPerUser: round(writes / people, 1),
    sample,
    simulateMs,
    traffic: {
      polls: perPace.find((p) => p.pace === "adaptive")!.pollsPerUser,
      inbox: Math.round(inbox / people),
      pageLoads: round(pageLoads / people, 1),
      messages: round(day.messages.length / people, 1),
      reactions: round(day.reactions.length / people, 1),
    },
  };
}

/**
 * The day's messages and reactions for real, in order, with every n-th adaptive poll of each
 * person in between (their own cursor chain); then each person polls until caught up.
 */
async function replay(api: Api, stack: StackInfo, day: Day, polls: number[][], samplePolls: number, deadline: number) {
  const began = performance.now();
  const [teacher, ...students] = await makeUsers(stack, day.people);
  const users = [teacher!, ...students];
  const class_id = await makeClass(teacher!, students, "School day");
  const start = await api.query<Chat.MessagePage>("chat.list", teacher!.token, { class_id, direction: "backward", limit: 1 });
  const cursors = users.map(() => start.data!.newer);
  const seen = users.map(() => [] as string[]);
  const sent: string[] = [];
  const hints: number[] = [];
  const recorder = new Recorder();
  const every = Math.max(1, Math.floor(polls.reduce((sum, list) => sum + list.length, 0) / samplePolls));

  type Step = { t: number; run: () => Promise<void> };
  const steps: Step[] = [];
  let realPolls = 0; // sampled and catch-up polls
  let reactionsSent = 0;
  const pollOnce = async (person: number) => {
    realPolls++;
    const began = performance.now();
    const reply = await api.query<Chat.Poll>("chat.poll", users[person]!.token, { class_id, cursor: cursors[person]!, limit: 100 });
    recorder.add(performance.now() - began, reply.status === 200);
    if (!reply.data) return false;
    seen[person]!.push(...reply.data.messages.map((m) => m.message_id));
    cursors[person] = reply.data.newer;
    hints.push(reply.data.poll_after_ms);
    return reply.data.has_more;
  };
  day.messages.forEach((message, index) => {
    steps.push({
      t: message.t,
      run: async () => {
        const began = performance.now();
        const reply = await api.rest("POST", "/chat/messages", users[message.by]!.token, { class_id, content: `message ${index}` });
        recorder.add(performance.now() - began, reply.status === 201);
        if (reply.status === 201) sent.push(reply.body.message_id);
      },
    });
  });
  for (const reaction of day.reactions) {
    steps.push({
      t: reaction.t + 0.5, // after a message sent at the same millisecond
      run: async () => {
        const message_id = sent[reaction.message];
        if (!message_id) return;
        const began = performance.now();
        const reply = await api.rest("PUT", `/chat/messages/${message_id}/reactions`, users[reaction.by]!.token, { reaction_type: "like" });
        recorder.add(performance.now() - began, reply.status === 200);
        reactionsSent++;
      },
    });
  }
  polls.forEach((list, person) => {
    list.forEach((t, i) => {
      if ((i + person) % every === 0) steps.push({ t: t + 0.25, run: async () => void (await pollOnce(person)) });
    });
  });
  steps.sort((a, b) => a.t - b.t);
  // Bounded in time on a busy machine: the day stops at the deadline, or 15 s after the users
  // are ready if signing them up took longer (the catch-up polls still check every message sent).
  const stopAt = Math.max(deadline, performance.now() + 15_000);
  let skipped = 0;
  for (const step of steps) {
    if (performance.now() > stopAt) skipped++;
    else await step.run();
  }
  for (let person = 0; person < users.length; person++) while (await pollOnce(person));

  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  const order = new Map(sent.map((id, i) => [id, i]));
  for (const list of seen) {
    const unique = new Set(list);
    duplicated += list.length - unique.size;
    lost += sent.filter((id) => !unique.has(id)).length;
    for (let i = 1; i < list.length; i++) if ((order.get(list[i]!) ?? 0) < (order.get(list[i - 1]!) ?? 0)) outOfOrder++;
  }
  const summary = recorder.summary();
  return {
    ...summary,
    polls: realPolls,
    sends: sent.length,
    reactions: reactionsSent,
    skipped,
    lost,
    duplicated,
    outOfOrder,
    hints: [...new Set(hints)].sort((a, b) => a - b),
    seconds: round((performance.now() - began) / 1000, 1),
  };
}

/** The report's section. */
export function schoolDayReport(r: SchoolDayResult): string[] {
  const lines: string[] = [];
  const [fixed, paused, adaptive] = r.perPace;
  lines.push(
    `### Polling through a school day: ${r.people} people in one class (simulated on a virtual clock in ${r.simulateMs} ms)`,
    "",
    `${r.messages} messages and ${r.reactions} reactions in two lessons with bursts, breaks, homework and a quiet evening; per person, the page is visible ${r.visibleHours} h and open but hidden ${r.hiddenHours} h.`,
    "",
    "| pace | chat polls per person per day | busiest / quietest person | all requests per person per day |",
    "|---|---|---|---|",
  );
  for (const p of r.perPace) lines.push(`| ${p.pace} | ${p.pollsPerUser.toLocaleString("en")} | ${p.busiest.toLocaleString("en")} / ${p.quietest.toLocaleString("en")} | ${p.requestsPerUser.toLocaleString("en")} |`);
  if (fixed && paused && adaptive) {
    lines.push(
      "",
      `Adaptive polling makes ${Math.round((1 - adaptive.pollsPerUser / fixed.pollsPerUser) * 100)} % fewer chat polls than a fixed 3 s poll and ${Math.round((1 - adaptive.pollsPerUser / paused.pollsPerUser) * 100)} % fewer than the web app before it (3 s, paused while hidden), although it keeps a hidden tab polling every ${POLL_SLOW_MS / 1000} s (the unread badge stays current). "All requests" adds the shell's inbox poll (${r.inboxPerUser} a day: every 15 s while visible), ${r.pageLoadsPerUser} page loads and ${r.writesPerUser} messages and reactions per person.`,
    );
  }
  const s = r.sample;
  const ok = s.sends > 0 && s.errors === 0 && s.lost === 0 && s.duplicated === 0 && s.outOfOrder === 0 && s.hints.every((h) => h >= POLL_FAST_MS && h <= POLL_SLOW_MS);
  lines.push(
    "",
    `Real-stack sample (${s.seconds} s): ${s.sends} of the day's ${r.messages} messages and ${s.reactions} of its ${r.reactions} reactions sent for real in order, with ${s.polls} real polls (a sample of the adaptive ones on each person's own cursor chain, then each catching up${s.skipped ? `; the last ${s.skipped} steps left out past the time budget` : ""}): ${s.count} requests, p50 ${s.p50} ms / p99 ${s.p99} ms, ${s.errors} errors; lost ${s.lost}, duplicated ${s.duplicated}, out of order ${s.outOfOrder}; hints seen ${s.hints.join(", ")} ms ${ok ? "✅" : "❌"}.`,
  );
  return lines;
}
