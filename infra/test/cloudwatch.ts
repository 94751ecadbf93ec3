/**
 * A small model of how CloudWatch evaluates a metric alarm, for the alarm tests: given the
 * `aws.cloudwatch.MetricAlarm` arguments the infra passes and the datapoints a scenario
 * reports, it says whether the alarm fires. It covers what the infra uses: a single metric
 * with a statistic or percentile, or metric math with + - * /, comparisons, FILL, IF and DIFF.
 */

export interface Metric {
  namespace: string;
  metricName: string;
  /** `Sum`, `Maximum`, `SampleCount`, `p99`, ... */
  stat: string;
  period: number;
  dimensions: Record<string, string>;
}

/** Datapoints, oldest first, one per period; `undefined` where there is no data. */
export type Series = Array<number | undefined>;

/** The datapoints a scenario reports for a metric (`undefined`: the metric has no data). */
export type Scenario = (metric: Metric) => Series | undefined;

interface MetricQuery {
  id: string;
  expression?: string;
  returnData?: boolean;
  metric?: { namespace: string; metricName: string; stat: string; period: number; dimensions?: Record<string, string> };
}

export interface AlarmArgs {
  namespace?: string;
  metricName?: string;
  statistic?: string;
  extendedStatistic?: string;
  period?: number;
  dimensions?: Record<string, string>;
  metricQueries?: MetricQuery[];
  threshold: number;
  comparisonOperator: string;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  treatMissingData?: string;
}

/** Every metric the alarm reads. */
export function metricsOf(alarm: AlarmArgs): Metric[] {
  if (alarm.metricQueries) {
    return alarm.metricQueries.flatMap((q) => (q.metric ? [{ ...q.metric, dimensions: q.metric.dimensions ?? {} }] : []));
  }
  return [
    {
      namespace: alarm.namespace!,
      metricName: alarm.metricName!,
      stat: (alarm.statistic ?? alarm.extendedStatistic)!,
      period: alarm.period!,
      dimensions: alarm.dimensions ?? {},
    },
  ];
}

const compare: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** The alarm's state after the scenario's last period. */
export function evaluate(alarm: AlarmArgs, scenario: Scenario): "ALARM" | "OK" | "INSUFFICIENT_DATA" {
  const series = valuesOf(alarm, scenario);
  const window = series.slice(-alarm.evaluationPeriods);
  const breaches = compare[alarm.comparisonOperator];
  if (!breaches) throw new Error(`unknown comparison ${alarm.comparisonOperator}`);
  const missing = alarm.treatMissingData ?? "missing";
  let breaching = 0;
  let present = 0;
  for (const value of window) {
    if (value === undefined || Number.isNaN(value)) {
      if (missing === "breaching") breaching++;
      continue;
    }
    present++;
    if (breaches(value, alarm.threshold)) breaching++;
  }
  if (breaching >= (alarm.datapointsToAlarm ?? alarm.evaluationPeriods)) return "ALARM";
  return present === 0 && (missing === "missing" || missing === "ignore") ? "INSUFFICIENT_DATA" : "OK";
}

/** The series the alarm compares with its threshold. */
export function valuesOf(alarm: AlarmArgs, scenario: Scenario): Series {
  const length = Math.max(1, ...metricsOf(alarm).map((m) => scenario(m)?.length ?? 0));
  const read = (metric: Metric): Series => {
    const data = scenario(metric) ?? [];
    return [...Array<undefined>(length - data.length).fill(undefined), ...data];
  };
  if (!alarm.metricQueries) return read(metricsOf(alarm)[0]!);

  const queries = new Map(alarm.metricQueries.map((q) => [q.id, q]));
  const cache = new Map<string, Series>();
  const valueOf = (id: string): Series => {
    const cached = cache.get(id);
    if (cached) return cached;
    const query = queries.get(id);
    if (!query) throw new Error(`metric math refers to unknown id "${id}"`);
    const value = query.metric
      ? read({ ...query.metric, dimensions: query.metric.dimensions ?? {} })
      : evaluateExpression(query.expression!, valueOf, length);
    cache.set(id, value);
    return value;
  };
  const returned = alarm.metricQueries.filter((q) => q.returnData);
  if (returned.length !== 1) throw new Error(`a metric math alarm returns exactly one series, not ${returned.length}`);
  return valueOf(returned[0]!.id);
}

type Token = { kind: "number"; value: number } | { kind: "name"; value: string } | { kind: "op"; value: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|[-+*/(),<>]))/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < expression.length && (match = pattern.exec(expression))) {
    if (match[1]) tokens.push({ kind: "number", value: Number(match[1]) });
    else if (match[2]) tokens.push({ kind: "name", value: match[2] });
    else if (match[3]) tokens.push({ kind: "op", value: match[3] });
  }
  if (expression.slice(pattern.lastIndex).trim()) throw new Error(`cannot read metric math "${expression}"`);
  return tokens;
}

/** Evaluates a metric math expression datapoint by datapoint; missing data stays missing. */
function evaluateExpression(expression: string, valueOf: (id: string) => Series, length: number): Series {
  const tokens = tokenize(expression);
  let at = 0;
  const peek = () => tokens[at];
  const take = (op?: string) => {
    const token = tokens[at++];
    if (!token || (op && token.value !== op)) throw new Error(`metric math "${expression}": expected ${op ?? "more"}`);
    return token;
  };
  const constant = (value: number): Series => Array(length).fill(value);
  const each = (a: Series, b: Series, f: (x: number, y: number) => number): Series =>
    a.map((x, i) => (x === undefined || b[i] === undefined ? undefined : f(x, b[i]!)));
  const binary: Record<string, (x: number, y: number) => number> = {
    "+": (x, y) => x + y,
    "-": (x, y) => x - y,
    "*": (x, y) => x * y,
    "/": (x, y) => (y === 0 ? NaN : x / y),
    "<": (x, y) => Number(x < y),
    ">": (x, y) => Number(x > y),
    "<=": (x, y) => Number(x <= y),
    ">=": (x, y) => Number(x >= y),
    "==": (x, y) => Number(x === y),
    "!=": (x, y) => Number(x !== y),
  };
  const functions: Record<string, (args: Series[]) => Series> = {
    FILL: ([x, fill]) => x!.map((v, i) => (v === undefined || Number.isNaN(v) ? fill![i] : v)),
    IF: ([condition, then, otherwise]) =>
      condition!.map((c, i) => (c === undefined ? undefined : c !== 0 ? then![i] : otherwise![i])),
    DIFF: ([x]) => x!.map((v, i) => (i === 0 || v === undefined || x![i - 1] === undefined ? undefined : v - x![i - 1]!)),
  };

  const comparison = (): Series => {
    let left = sum();
    const token = peek();
    if (token?.kind === "op" && ["<", ">", "<=", ">=", "==", "!="].includes(token.value)) {
      take();
      left = each(left, sum(), binary[token.value]!);
    }
    return left;
  };
  const sum = (): Series => {
    let left = product();
    for (let token = peek(); token?.kind === "op" && (token.value === "+" || token.value === "-"); token = peek()) {
      take();
      left = each(left, product(), binary[token.value]!);
    }
    return left;
  };
  const product = (): Series => {
    let left = unary();
    for (let token = peek(); token?.kind === "op" && (token.value === "*" || token.value === "/"); token = peek()) {
      take();
      left = each(left, unary(), binary[token.value]!);
    }
    return left;
  };
  const unary = (): Series => {
    if (peek()?.kind === "op" && peek()!.value === "-") {
      take();
      return unary().map((v) => (v === undefined ? undefined : -v));
    }
    return primary();
  };
  const primary = (): Series => {
    const token = take();
    if (token.kind === "number") return constant(token.value);
    if (token.kind === "op" && token.value === "(") {
      const inner = comparison();
      take(")");
      return inner;
    }
    if (token.kind === "name") {
      if (peek()?.value !== "(") return valueOf(token.value);
      const fn = functions[token.value];
      if (!fn) throw new Error(`metric math function ${token.value} is not modelled`);
      take("(");
      const args = [comparison()];
      while (peek()?.value === ",") {
        take(",");
        args.push(comparison());
      }
      take(")");
      return fn(args);
    }
    throw new Error(`metric math "${expression}": unexpected "${token.value}"`);
  };

  const result = comparison();
  if (at !== tokens.length) throw new Error(`metric math "${expression}": unexpected "${tokens[at]!.value}"`);
  return result;
}
