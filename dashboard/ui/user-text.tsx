/**
 * Text that came from the traced program (span, model and function names) inside the page's own:
 * isolated as a bidirectional run (`<bdi>`), so a right-to-left override in a name cannot reorder
 * what follows it, and carrying its full text as a tooltip, for where styles.css clips it.
 */

/** `text` isolated, with itself as its title. */
export function UserText(props: { text: string }) {
  return (
    <bdi class="user-text" title={props.text}>
      {props.text}
    </bdi>
  );
}
