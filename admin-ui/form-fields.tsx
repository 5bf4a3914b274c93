/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

/**
 * Form fields with their label, hint and error tied to the input (for/id, aria-describedby,
 * aria-invalid): a screen reader reads the error with the field, and the field keeps what was typed.
 */
export interface FieldProps {
  name: string;
  /** When one page has several forms with a field of this name: a distinct element id. */
  id?: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value?: string;
  type?: string;
  required?: boolean;
  maxlength?: number;
  autocomplete?: string;
  inputmode?: 'numeric' | 'decimal' | 'text';
  placeholder?: string;
  list?: string;
  /** Extra attributes for tokens and codes: no spelling fixes, no capitals. */
  verbatim?: boolean;
  /**
   * An error said once for a group of fields (under a pair of times, say): its element id. The
   * field is then marked invalid and described by it too.
   */
  groupError?: string | undefined;
}

const idOf = (name: string) => `f-${name}`;

function describedBy(
  id: string,
  hint: string | undefined,
  error: string | undefined,
  groupError?: string,
): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', groupError ?? '']
    .filter(Boolean)
    .join(' ');
  return ids || undefined;
}

export function FieldError(props: { id: string; error?: string | undefined }) {
  return props.error ? (
    <p class="field-error" id={props.id}>
      {props.error}
    </p>
  ) : null;
}

/** A field's label with its hint inside (the hint is also the field's description). */
function FieldLabel(props: { id: string; label: string; hint?: string | undefined }) {
  return (
    <label for={props.id}>
      {props.label}
      {props.hint ? (
        <span class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </span>
      ) : null}
    </label>
  );
}

export function TextField(props: FieldProps) {
  const id = props.id ?? idOf(props.name);
  return (
    <div class="field">
      <FieldLabel id={id} label={props.label} hint={props.hint} />
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        required={props.required}
        maxlength={props.maxlength}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        placeholder={props.placeholder}
        list={props.list}
        spellcheck={props.verbatim ? false : undefined}
        autocapitalize={props.verbatim ? 'off' : undefined}
        autocorrect={props.verbatim ? 'off' : undefined}
        aria-invalid={props.error || props.groupError ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error, props.groupError)}
      />
      <FieldError id={`${id}-error`} error={props.error} />
    </div>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value?: string;
  options: { value: string; label: string }[];
}) {
  const id = idOf(props.name);
  return (
    <div class="field">
      <FieldLabel id={id} label={props.label} hint={props.hint} />
      <select
        id={id}
        name={props.name}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} error={props.error} />
    </div>
  );
}

/** A group of choices under one legend, with the group's hint and error tied to the fieldset. */
function ChoiceFieldset(props: {
  id: string;
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  row?: boolean | undefined;
  children?: Child;
}) {
  const ids = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <fieldset
      class={props.row ? 'choices row' : 'choices'}
      id={props.id}
      aria-describedby={ids || undefined}
      aria-invalid={props.error ? 'true' : undefined}
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.children}
      <FieldError id={`${props.id}-error`} error={props.error} />
    </fieldset>
  );
}

/** Checkboxes under one legend; each has its own name (forms keep the first value of a name). */
export function CheckboxGroup(props: {
  id: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  row?: boolean;
  items: {
    name: string;
    label: string;
    checked: boolean;
    /** For a repeated name (a list of choices); default "on". */ value?: string;
  }[];
}) {
  return (
    <ChoiceFieldset
      id={props.id}
      legend={props.legend}
      hint={props.hint}
      error={props.error}
      row={props.row}
    >
      {props.items.map((item) => (
        <label class="choice">
          <input
            type="checkbox"
            name={item.name}
            value={item.value ?? 'on'}
            checked={item.checked}
          />
          {item.label}
        </label>
      ))}
    </ChoiceFieldset>
  );
}

/** Radio buttons under one legend (one name). */
export function RadioGroup(props: {
  id: string;
  name: string;
  legend: string;
  hint?: string;
  error?: string | undefined;
  row?: boolean;
  value?: string;
  items: { value: string; label: string }[];
}) {
  return (
    <ChoiceFieldset
      id={props.id}
      legend={props.legend}
      hint={props.hint}
      error={props.error}
      row={props.row}
    >
      {props.items.map((item) => (
        <label class="choice">
          <input
            type="radio"
            name={props.name}
            value={item.value}
            checked={item.value === props.value}
          />
          {item.label}
        </label>
      ))}
    </ChoiceFieldset>
  );
}

/** The "something is wrong" summary at the top of a form that came back. */
export function ProblemSummary(props: { text: string | undefined; children?: Child }) {
  return props.text ? (
    <div class="notice bad" role="alert">
      <p>{props.text}</p>
      {props.children}
    </div>
  ) : null;
}

/** A multi-line text field, labelled and described like TextField. */
export function TextArea(
  props: Pick<FieldProps, 'name' | 'id' | 'label' | 'hint' | 'error' | 'value' | 'maxlength'> & {
    rows?: number;
  },
) {
  const id = props.id ?? idOf(props.name);
  return (
    <div class="field">
      <FieldLabel id={id} label={props.label} hint={props.hint} />
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      >
        {props.value ?? ''}
      </textarea>
      <FieldError id={`${id}-error`} error={props.error} />
    </div>
  );
}
