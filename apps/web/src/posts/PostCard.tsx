import { type InfiniteData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { initials } from "../classes/MembersPanel.tsx";
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
import { MAX_COMMENT_LENGTH } from "@classroom/core/limits";

export function PostCard({ post, isTeacher, myUserId }: { post: Post; isTeacher: boolean; myUserId: string }) {
  const [open, setOpen] = useState(false);
  const commentsId = useId();
  const count = post.comment_count;
  return (
    <article className="card post" aria-label={`Post by ${post.author_name}`} data-post-id={post.post_id}>
      <header className="post-head">
        <span className="avatar" aria-hidden="true">
          {initials(post.author_name)}
        </span>
        <div>
          <div className="post-author">{post.author_id === myUserId ? "You" : post.author_name}</div>
          <div className="muted small">
            <Time iso={post.created_at} />
          </div>
        </div>
      </header>
      <p className="post-text">{post.content}</p>
      <button
        type="button"
        className="button ghost small comments-toggle"
        aria-expanded={open}
        aria-controls={commentsId}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="comment-count">{count === 1 ? "1 comment" : `${count} comments`}</span>
        <span aria-hidden="true">{open ? " ▴" : " ▾"}</span>
      </button>
      {open && <Comments id={commentsId} post={post} isTeacher={isTeacher} myUserId={myUserId} />}
    </article>
  );
}

function Comments({ id, post, isTeacher, myUserId }: { id: string; post: Post; isTeacher: boolean; myUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listKey = trpc.comment.list.queryKey({ post_id: post.post_id });
  const comments = useQuery(trpc.comment.list.queryOptions({ post_id: post.post_id }));
  const [content, setContent] = useState("");
  const [deleting, setDeleting] = useState<Comment | null>(null);

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
      onError: (_error, _input, context) => {
        if (context) queryClient.setQueryData(listKey, (data) => withoutComment(data, context.temporaryId));
        updatePosts((data) => adjustCommentCount(data, post.post_id, -1));
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

  function submit(event: FormEvent) {
    event.preventDefault();
    const text = content.trim();
    if (!text) return;
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
        <p className="muted small">No comments yet. Start the discussion.</p>
      ) : (
        <ul className="comment-list" aria-label="Comments">
          {comments.data.comments.map((comment) => {
            const pending = comment.comment_id.startsWith("pending-");
            const canDelete = !pending && (comment.author_id === myUserId || isTeacher);
            const author = comment.author_id === myUserId ? "You" : comment.author_name;
            return (
              <li key={comment.comment_id} className={`comment${pending ? " comment-pending" : ""}`} data-comment-id={comment.comment_id}>
                <span className="avatar small" aria-hidden="true">
                  {initials(comment.author_name === "You" ? "Y" : comment.author_name)}
                </span>
                <div className="comment-body">
                  <div className="comment-meta">
                    <span className="comment-author">{author}</span>
                    <span className="muted small">{pending ? "Posting…" : <Time iso={comment.created_at} />}</span>
                  </div>
                  <p className="comment-text">{comment.content}</p>
                </div>
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
      <form className="comment-form" onSubmit={submit}>
        <label className="visually-hidden" htmlFor={`${id}-input`}>
          Write a comment
        </label>
        <input
          id={`${id}-input`}
          value={content}
          maxLength={MAX_COMMENT_LENGTH}
          onChange={(e) => setContent(e.target.value)}
          placeholder="Write a comment…"
        />
        <button type="submit" className="button small" disabled={!content.trim()}>
          Comment
        </button>
      </form>
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
