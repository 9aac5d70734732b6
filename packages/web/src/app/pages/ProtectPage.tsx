import { type DragEvent, type FormEvent, useState } from 'react';
import { useDashboard } from '../context.js';
import { type DataProtector, openDataProtector } from '../openDataProtector.js';
import { ErrorNote, messageOf, Short, Steps, useSteps } from '../ui.js';

/** protectData's steps (its onStatusUpdate titles), in order, as the page names them. */
const PROTECT_STEPS = [
  ['EXTRACT_DATA_SCHEMA', 'Read the data schema'],
  ['CREATE_ZIP_FILE', 'Pack the file'],
  ['CREATE_ENCRYPTION_KEY', 'Create the encryption key'],
  ['ENCRYPT_FILE', 'Encrypt the file'],
  ['UPLOAD_ENCRYPTED_FILE', 'Upload the ciphertext to IPFS'],
  ['DEPLOY_PROTECTED_DATA', 'Register the protected data on chain'],
  ['PUSH_SECRET_TO_SMS', 'Hand the key to the SMS'],
] as const;

/** Protect a file: encrypted in the browser, uploaded, registered, its key pushed to the SMS. */
export function ProtectPage() {
  const { network, session } = useDashboard();
  const [file, setFile] = useState<File>();
  const [name, setName] = useState('');
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [protectedAddress, setProtectedAddress] = useState<string>();
  const steps = useSteps();

  const pick = (picked: File | undefined) => {
    if (!picked) return;
    setFile(picked);
    if (!name) setName(picked.name);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    pick(event.dataTransfer.files[0]);
  };

  async function protect(event: FormEvent) {
    event.preventDefault();
    if (!file || !session) return;
    setBusy(true);
    setError(undefined);
    setProtectedAddress(undefined);
    steps.reset();
    let dp: DataProtector | undefined;
    try {
      dp = await openDataProtector(network, session);
      const result = await dp.protectData({ data: { file }, name, onStatusUpdate: steps.update });
      setProtectedAddress(result.address);
    } catch (e) {
      steps.fail();
      setError(messageOf(e));
    } finally {
      await dp?.close();
      setBusy(false);
    }
  }

  return (
    <form onSubmit={protect} className="card" aria-label="Protect a file">
      <p className="lead">
        The file is encrypted in this browser with a fresh key; only the ciphertext leaves, and the key goes to the SMS,
        which releases it to enclaves of tasks you allow.
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the file input inside is the accessible way in. */}
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop a file here, or</p>
        <label htmlFor="protect-file">Choose a file</label>
        <input id="protect-file" type="file" onChange={(e) => pick(e.target.files?.[0])} />
        {file && (
          <p aria-live="polite">
            Selected: <strong>{file.name}</strong> ({file.size.toLocaleString()} bytes)
          </p>
        )}
      </div>
      <label htmlFor="protect-name">Name</label>
      <input id="protect-name" value={name} onChange={(e) => setName(e.target.value)} required />
      <button type="submit" disabled={!file || !session || busy}>
        {busy ? 'Protecting…' : 'Protect'}
      </button>
      <Steps label="Protection progress" steps={PROTECT_STEPS} states={steps.states} />
      {error && <ErrorNote message={error} />}
      {protectedAddress && (
        <p role="status">
          Protected as <Short value={protectedAddress} label="protected data" />. Next:{' '}
          <a href="#/data">grant access to it</a>.
        </p>
      )}
    </form>
  );
}
