import { type LengthState, counterText, refusalText } from "./length.ts";

/**
 * The counter near the limit and, over it, the reason the text cannot be sent. The field points
 * at the counter with `aria-describedby`; the refusal is an alert, announced once when it appears.
 */
export function LengthHint({ id, state, what }: { id: string; state: LengthState; what: string }) {
  return (
    <div className="length-hint">
      {state.over && (
        <p className="length-refusal" role="alert">
          {refusalText(state, what)}
        </p>
      )}
      <span id={id} className={`length-counter${state.over ? " over" : ""}`}>
        {state.near ? counterText(state) : ""}
      </span>
    </div>
  );
}
