/**
 * The one state every server action returns (useActionState's state): a message for the
 * alert, the first error per field, the values to put back in the form, and any data.
 * Shared by the action wrapper (lib/action.ts) and the client forms, so it has no server imports.
 */
export interface ActionState<D = undefined> {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string>;
  data?: D;
}

/** A server action as a form component receives it (a prop, never imported from app/). */
export type FormAction<D = undefined> = (
  previous: ActionState<D>,
  formData: FormData,
) => Promise<ActionState<D>>;
