// A dashboard's text tile (PostHog's text card): its body shown as plain text (line breaks kept,
// never markup), edited in place or deleted. `onSave` / `onDelete` do the request.
import { useState } from 'preact/hooks';

export function TextTile({ body, onSave, onDelete }: {
  body: string;
  onSave: (body: string) => Promise<void>;
  onDelete: () => Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(body);
  if (editing) {
    return (
      <form class="text-tile-form" data-testid="text-tile-edit"
            onSubmit={async (e) => {
              e.preventDefault();
              if (!draft.trim()) return;
              await onSave(draft);
              setEditing(false);
            }}>
        <textarea name="body" aria-label="Text" required maxLength={4000} value={draft}
                  onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)} />
        <div class="controls">
          <button type="submit">Save</button>
          <button type="button" class="link" onClick={() => setEditing(false)}>Cancel</button>
        </div>
      </form>
    );
  }
  return (
    <div class="text-tile" data-testid="text-tile">
      <p class="text-tile-body" data-testid="text-tile-body">{body}</p>
      <div class="controls">
        <button type="button" class="link" data-testid="text-tile-edit-button"
                onClick={() => { setDraft(body); setEditing(true); }}>Edit</button>
        <button type="button" class="link" data-testid="text-tile-delete"
                onClick={onDelete}>Delete</button>
      </div>
    </div>
  );
}
