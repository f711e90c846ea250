// The pages before a session: creating the first account (while the server says it may,
// /_preflight) and logging in.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';

function useSubmit(action: () => Promise<void>) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

function Field(props: { label: string; name: string; type?: string; value: string;
                        onInput: (value: string) => void; autocomplete?: string }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input name={props.name} type={props.type ?? 'text'} value={props.value} required
             autocomplete={props.autocomplete}
             onInput={(e) => props.onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
}

export function SignupPage({ onDone }: { onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [firstName, setFirstName] = useState('');
  const [projectName, setProjectName] = useState('Default project');
  const { error, busy, submit } = useSubmit(async () => {
    await api('POST', '/api/signup/', { email, password, first_name: firstName,
                                        project_name: projectName });
    onDone();
  });
  return (
    <main class="auth">
      <h1>Welcome to Hoglet</h1>
      <p>Create the first account: it owns this server's organization and its first project.</p>
      <form onSubmit={submit} data-testid="signup-form">
        <Field label="Your name" name="first_name" value={firstName} onInput={setFirstName} />
        <Field label="Email" name="email" type="email" value={email} onInput={setEmail}
               autocomplete="username" />
        <Field label="Password (8 characters or more)" name="password" type="password"
               value={password} onInput={setPassword} autocomplete="new-password" />
        <Field label="Project name" name="project_name" value={projectName}
               onInput={setProjectName} />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>Create account</button>
      </form>
    </main>
  );
}

export function LoginPage({ onDone }: { onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    await api('POST', '/api/login/', { email, password });
    onDone();
  });
  return (
    <main class="auth">
      <h1>Log in to Hoglet</h1>
      <form onSubmit={submit} data-testid="login-form">
        <Field label="Email" name="email" type="email" value={email} onInput={setEmail}
               autocomplete="username" />
        <Field label="Password" name="password" type="password" value={password}
               onInput={setPassword} autocomplete="current-password" />
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>Log in</button>
      </form>
    </main>
  );
}
