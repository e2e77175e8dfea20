/**
 * A labelled select of names from the traced program (models, functions), shared by the traces
 * and models pages. styles.css caps its width, so one long name cannot widen the page; each
 * option, and the select for its current choice, carries the full name as a tooltip.
 */

/** Props of `NameSelect`. */
export interface NameSelectProps {
  label: string;
  name: string;
  /** The chosen name; '' for none. */
  value: string;
  names: readonly string[];
  /** What the empty choice says (`any`, `choose`). */
  none: string;
  onChange: (value: string) => void;
}

/** The select. */
export function NameSelect(props: NameSelectProps) {
  return (
    <label>
      {props.label}{' '}
      <select name={props.name} value={props.value} title={props.value || undefined} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{props.none}</option>
        {props.names.map((n) => (
          <option key={n} value={n} title={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}
