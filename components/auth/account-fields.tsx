import { Field } from '@/components/ui/field';

// The fields of a new account, shared by sign-up and by signing up from an invitation.

export function NameField({ defaultValue, error }: { defaultValue?: string; error?: string }) {
  return <Field label="Name" name="name" autoComplete="name" defaultValue={defaultValue} error={error} />;
}

export function NewPasswordField({ error }: { error?: string }) {
  return (
    <Field
      label="Password"
      name="password"
      type="password"
      autoComplete="new-password"
      required
      hint="At least 10 characters."
      error={error}
    />
  );
}
