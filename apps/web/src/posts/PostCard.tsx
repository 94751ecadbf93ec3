import { MAX_COMMENT_LENGTH, MAX_POST_LENGTH } from "@classroom/client";
import { type InfiniteData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { initials } from "../classes/MembersPanel.tsx";
import { LengthHint } from "../compose/LengthHint.tsx";
import { draftKey, useDraft } from "../compose/drafts.ts";
import { lengthState } from "../compose/length.ts";
import { Attachments } from "../files/Attachments.tsx";
import { PostRecommendations } from "../recommendations/RelatedPanel.tsx";
import { LinkedText } from "../text/LinkedText.tsx";
import { useTRPC } from "../trpc.ts";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { describeError } from "../ui/errors.ts";
import { ErrorState, Loading, Time } from "../ui/states.tsx";
import {
  type Comment,
  type Post,
  type PostPage,
  adjustCommentCount,
  replaceComment,
  setCommentCount,
  withComment,
  withoutComment,
} from "./cache.ts";

/** `canComment`: the class's stream policy lets this person comment (see policy.ts). */
export function PostCard({ post, isTeacher, myUserId, canComment }: { post: Post; isTeacher: boolean; myUserId: string; canComment: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const commentsId = useId();
  const count = post.comment_count;
  const mine = post.author_id === myUserId;
  const refresh = () => queryClient.invalidateQueries(trpc.post.list.pathFilter());

  const edit = useMutation(trpc.post.edit.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.post.remove.mutationOptions({ onSuccess: refresh }));
  const pin = useMutation(trpc.post.pin.mutationOptions({ onSettled: refresh }));
  const lock = useMutation(trpc.post.lock.mutationOptions({ onSettled: refresh }));
  const failed = [remove, pin, lock].find((m) => m.isError);

  return (
    <article className={`card post${post.pinned ? " post-pinned" : ""}`} aria-label={`Post by ${post.author_name}`} data-post-id={post.post_id}>
      <header className="post-head">
        <span className="avatar" aria-hidden="true">
          {initials(post.author_name)}
        </span>
        <div className="post-who">
          <div className="post-author">{mine ? "You" : post.author_name}</div>
          <div className="muted small">
            <Time iso={post.created_at} />
            {post.edited_at && (
              <span className="edited" title={`Edited ${new Date(post.edited_at).toLocaleString()}`}>
                {" · edited "}
                <Time iso={post.edited_at} />
              </span>
            )}
          </div>
        </div>
        {post.pinned && <span className="badge badge-pinned">Pinned</span>}
      </header>
      {editing ? (
        <EditText
          label="Edit your post"
          initial={post.content}
          max={MAX_POST_LENGTH}
          what="post"
          multiline
          onCancel={() => setEditing(false)}
          onSave={async (content) => {
            await edit.mutateAsync({ post_id: post.post_id, content });
            setEditing(false);
          }}
        />
      ) : (
        <p className="post-text">
          <LinkedText text={post.content} />
        </p>
      )}
      <Attachments attachments={post.attachments} />
      {(mine || isTeacher) && !editing && (
        <div className="post-actions" role="group" aria-label="Post actions">
          {mine && (
            <button type="button" className="link small" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          {isTeacher && (
            <button
              type="button"
              className="link small"
              aria-pressed={post.pinned}
              disabled={pin.isPending}
              onClick={() => pin.mutate({ post_id: post.post_id, pinned: !post.pinned })}
            >
              {post.pinned ? "Unpin" : "Pin"}
            </button>
          )}
          {isTeacher && (
            <button
              type="button"
              className="link small"
              aria-pressed={post.comments_locked}
              disabled={lock.isPending}
              onClick={() => lock.mutate({ post_id: post.post_id, locked: !post.comments_locked })}
            >
              {post.comments_locked ? "Unlock comments" : "Lock comments"}
            </button>
          )}
          <button type="button" className="link small danger-link" onClick={() => setRemoving(true)}>
            {mine ? "Delete" : "Remove"}
          </button>
        </div>
      )}
      {failed?.error && (
        <p className="error" role="alert">
          {describeError(failed.error)}
        </p>
      )}
      <button
        type="button"
        className="button ghost small comments-toggle"
        aria-expanded={open}
        aria-controls={commentsId}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="comment-count">{count === 1 ? "1 comment" : `${count} comments`}</span>
        {post.comments_locked && <span className="muted"> · locked</span>}
        <span aria-hidden="true">{open ? " ▴" : " ▾"}</span>
      </button>
      {open && <Comments id={commentsId} post={post} isTeacher={isTeacher} myUserId={myUserId} canComment={canComment} />}
      <PostRecommendations post={post} expanded={open} />
      <ConfirmDialog
        open={removing}
        title={mine ? "Delete this post?" : "Remove this post?"}
        body={
          mine
            ? "Your post and its comments will be removed for everyone in the class."
            : `The post by ${post.author_name} and its comments will be removed for everyone in the class.`
        }
        confirmLabel={mine ? "Delete post" : "Remove post"}
        onCancel={() => setRemoving(false)}
        onConfirm={() => {
          remove.mutate({ post_id: post.post_id });
          setRemoving(false);
        }}
      />
    </article>
  );
}

/** Editing a text in place: the limit's counter, Save and Cancel (Escape), Enter saves a one-line text. */
function EditText({
  label,
  initial,
  max,
  what,
  multiline = false,
  onCancel,
  onSave,
}: {
  label: string;
  initial: string;
  max: number;
  what: string;
  multiline?: boolean;
  onCancel: () => void;
  onSave: (text: string) => Promise<void>;
}) {
  const id = useId();
  const [text, setText] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const length = lengthState(text, max);
  useEffect(() => field.current?.focus(), []);

  async function save(event?: FormEvent) {
    event?.preventDefault();
    if (!text.trim() || length.over || saving) return;
    if (text.trim() === initial.trim()) return onCancel();
    setSaving(true);
    setError(null);
    try {
      await onSave(text.trim());
    } catch (failure) {
      setError(describeError(failure));
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    }
  }

  const common = {
    id,
    ref: field,
    value: text,
    disabled: saving,
    "aria-invalid": length.over,
    "aria-describedby": `${id}-count`,
    onKeyDown,
  };
  return (
    <form className="edit-text" onSubmit={save}>
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      {multiline ? <textarea rows={4} {...common} onChange={(e) => setText(e.target.value)} /> : <input {...common} onChange={(e) => setText(e.target.value)} />}
      <LengthHint id={`${id}-count`} state={length} what={what} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="edit-text-actions">
        <button type="button" className="button ghost small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary small" disabled={saving || !text.trim() || length.over}>
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

function Comments({ id, post, isTeacher, myUserId, canComment }: { id: string; post: Post; isTeacher: boolean; myUserId: string; canComment: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listKey = trpc.comment.list.queryKey({ post_id: post.post_id });
  const comments = useQuery(trpc.comment.list.queryOptions({ post_id: post.post_id }));
  const [content, setContent] = useDraft(draftKey(myUserId, { kind: "comment", postId: post.post_id }));
  const length = lengthState(content, MAX_COMMENT_LENGTH);
  const [deleting, setDeleting] = useState<Comment | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const updatePosts = (update: (data: InfiniteData<PostPage> | undefined) => InfiniteData<PostPage> | undefined) =>
    queryClient.setQueriesData<InfiniteData<PostPage>>({ queryKey: trpc.post.list.pathKey() }, update);
  const settle = async () => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.comment.list.queryFilter({ post_id: post.post_id })),
      queryClient.invalidateQueries(trpc.post.list.pathFilter()),
    ]);
  };
  const pauseRefetches = () =>
    Promise.all([queryClient.cancelQueries({ queryKey: listKey }), queryClient.cancelQueries({ queryKey: trpc.post.list.pathKey() })]);

  const create = useMutation(
    trpc.comment.create.mutationOptions({
      onMutate: async (input) => {
        await pauseRefetches();
        const temporary: Comment = {
          comment_id: `pending-${crypto.randomUUID()}`,
          post_id: post.post_id,
          class_id: post.class_id,
          author_id: myUserId,
          author_name: "You",
          content: input.content,
          status: 1,
          created_at: new Date().toISOString(),
          edited_at: null,
        };
        queryClient.setQueryData(listKey, (data) => withComment(data, temporary));
        updatePosts((data) => adjustCommentCount(data, post.post_id, +1));
        return { temporaryId: temporary.comment_id };
      },
      onSuccess: (comment, _input, context) => {
        if (context) queryClient.setQueryData(listKey, (data) => replaceComment(data, context.temporaryId, comment));
      },
      onError: (_error, input, context) => {
        if (context) queryClient.setQueryData(listKey, (data) => withoutComment(data, context.temporaryId));
        updatePosts((data) => adjustCommentCount(data, post.post_id, -1));
        // Not lost: the refused text goes back into the field, unless something new was written meanwhile.
        setContent(content.trim() ? content : input.content);
      },
      onSettled: settle,
    }),
  );

  const remove = useMutation(
    trpc.comment.remove.mutationOptions({
      onMutate: async ({ comment_id }) => {
        await pauseRefetches();
        const present = queryClient.getQueryData(listKey)?.comments.some((c) => c.comment_id === comment_id) ?? false;
        queryClient.setQueryData(listKey, (data) => withoutComment(data, comment_id));
        if (present) updatePosts((data) => adjustCommentCount(data, post.post_id, -1));
      },
      onSuccess: (result) => updatePosts((data) => setCommentCount(data, post.post_id, result.comment_count)),
      onSettled: settle,
    }),
  );

  const edit = useMutation(
    trpc.comment.edit.mutationOptions({
      onSuccess: (comment) => queryClient.setQueryData(listKey, (data) => replaceComment(data, comment.comment_id, comment)),
      onSettled: settle,
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const text = content.trim();
    if (!text || length.over) return;
    create.mutate({ post_id: post.post_id, content: text });
    setContent("");
  }

  return (
    <div id={id} className="comments">
      {comments.isPending ? (
        <Loading label="Loading comments…" />
      ) : comments.isError ? (
        <ErrorState message={describeError(comments.error)} onRetry={() => void comments.refetch()} />
      ) : comments.data.comments.length === 0 ? (
        <p className="muted small">{post.comments_locked ? "No comments." : canComment ? "No comments yet. Start the discussion." : "No comments yet."}</p>
      ) : (
        <ul className="comment-list" aria-label="Comments">
          {comments.data.comments.map((comment) => {
            const pending = comment.comment_id.startsWith("pending-");
            const mine = comment.author_id === myUserId;
            const canDelete = !pending && (mine || isTeacher);
            const author = mine ? "You" : comment.author_name;
            return (
              <li key={comment.comment_id} className={`comment${pending ? " comment-pending" : ""}`} data-comment-id={comment.comment_id}>
                <span className="avatar small" aria-hidden="true">
                  {initials(comment.author_name === "You" ? "Y" : comment.author_name)}
                </span>
                <div className="comment-body">
                  <div className="comment-meta">
                    <span className="comment-author">{author}</span>
                    <span className="muted small">{pending ? "Posting…" : <Time iso={comment.created_at} />}</span>
                    {comment.edited_at && (
                      <span className="muted small edited" title={`Edited ${new Date(comment.edited_at).toLocaleString()}`}>
                        edited <Time iso={comment.edited_at} />
                      </span>
                    )}
                  </div>
                  {editing === comment.comment_id ? (
                    <EditText
                      label="Edit your comment"
                      initial={comment.content}
                      max={MAX_COMMENT_LENGTH}
                      what="comment"
                      onCancel={() => setEditing(null)}
                      onSave={async (text) => {
                        await edit.mutateAsync({ comment_id: comment.comment_id, content: text });
                        setEditing(null);
                      }}
                    />
                  ) : (
                    <p className="comment-text">
                      <LinkedText text={comment.content} />
                    </p>
                  )}
                </div>
                {editing !== comment.comment_id && (
                  <div className="comment-actions">
                    {mine && !pending && (
                      <button type="button" className="button ghost small" onClick={() => setEditing(comment.comment_id)} aria-label="Edit your comment">
                        Edit
                      </button>
                    )}
                    {canDelete && (
                      <button
                        type="button"
                        className="button ghost small"
                        onClick={() => setDeleting(comment)}
                        aria-label={`Delete comment by ${author}`}
                      >
                        Delete
                      </button>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {(create.isError || remove.isError) && (
        <p className="error" role="alert">
          {describeError(create.error ?? remove.error)}
        </p>
      )}
      {post.comments_locked ? (
        <p className="notice small" role="status">
          A teacher locked the comments on this post.
        </p>
      ) : !canComment ? (
        <p className="notice small" role="status">
          Only teachers comment in this class.
        </p>
      ) : (
        <form className="comment-form" onSubmit={submit}>
          <div className="comment-form-row">
            <label className="visually-hidden" htmlFor={`${id}-input`}>
              Write a comment
            </label>
            <input
              id={`${id}-input`}
              value={content}
              onChange={(e) => setContent(e.target.value)}
              aria-invalid={length.over}
              aria-describedby={`${id}-count`}
              placeholder="Write a comment…"
            />
            <button type="submit" className="button small" disabled={!content.trim() || length.over}>
              Comment
            </button>
          </div>
          <LengthHint id={`${id}-count`} state={length} what="comment" />
        </form>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this comment?"
        body={
          deleting && deleting.author_id !== myUserId
            ? `The comment by ${deleting.author_name} will be removed for everyone in the class.`
            : "Your comment will be removed for everyone in the class."
        }
        confirmLabel="Delete comment"
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) remove.mutate({ comment_id: deleting.comment_id });
          setDeleting(null);
        }}
      />
    </div>
  );
}
