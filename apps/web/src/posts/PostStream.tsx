import { MAX_POST_LENGTH } from "@classroom/client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { LengthHint } from "../compose/LengthHint.tsx";
import { draftKey, useDraft } from "../compose/drafts.ts";
import { lengthState } from "../compose/length.ts";
import { FileUploader } from "../files/FileUploader.tsx";
import { useUploads } from "../files/useUploads.ts";
import { RecommendedForYou } from "../recommendations/RecommendedForYou.tsx";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading } from "../ui/states.tsx";
import { streamOrder } from "./cache.ts";
import { PostCard } from "./PostCard.tsx";
import { type StreamPolicy, emptyStreamText, mayComment, posting } from "./policy.ts";

export const POSTS_PAGE_SIZE = 10;

export function PostStream({
  classId,
  isTeacher,
  streamPolicy,
  myUserId,
}: {
  classId: string;
  isTeacher: boolean;
  streamPolicy: StreamPolicy;
  myUserId: string;
}) {
  const trpc = useTRPC();
  const may = posting(isTeacher, streamPolicy);
  const canComment = mayComment(isTeacher, streamPolicy);
  const posts = useInfiniteQuery(
    trpc.post.list.infiniteQueryOptions(
      { class_id: classId, limit: POSTS_PAGE_SIZE },
      { getNextPageParam: (last) => last.cursor ?? undefined },
    ),
  );
  const shown = useMemo(() => (posts.data ? streamOrder(posts.data.pages) : { pinned: [], posts: [] }), [posts.data]);

  return (
    <section className="pane stream" aria-labelledby="stream-title">
      <div className="pane-head">
        <h2 id="stream-title">Stream</h2>
      </div>
      <div className="stream-scroll">
        {may.canPost ? (
          <NewPost classId={classId} userId={myUserId} canAnnounce={may.canAnnounce} />
        ) : (
          <p className="muted small">{may.notice}</p>
        )}
        {!isTeacher && <RecommendedForYou classId={classId} />}
        {posts.isPending ? (
          <Loading label="Loading posts…" />
        ) : posts.isError ? (
          <ErrorState message={describeError(posts.error)} onRetry={() => void posts.refetch()} />
        ) : shown.pinned.length === 0 && shown.posts.length === 0 ? (
          <Empty title="Nothing posted yet">{emptyStreamText(isTeacher, may.canPost)}</Empty>
        ) : (
          <>
            {shown.pinned.length > 0 && (
              <ul className="posts pinned-posts" aria-label="Pinned posts">
                {shown.pinned.map((post) => (
                  <li key={post.post_id}>
                    <PostCard post={post} isTeacher={isTeacher} myUserId={myUserId} canComment={canComment} />
                  </li>
                ))}
              </ul>
            )}
            <ul className="posts" aria-label="Posts">
              {shown.posts.map((post) => (
                <li key={post.post_id}>
                  <PostCard post={post} isTeacher={isTeacher} myUserId={myUserId} canComment={canComment} />
                </li>
              ))}
            </ul>
            {posts.hasNextPage && (
              <button type="button" className="button ghost wide" onClick={() => void posts.fetchNextPage()} disabled={posts.isFetchingNextPage}>
                {posts.isFetchingNextPage ? "Loading…" : "Show older posts"}
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function NewPost({ classId, userId, canAnnounce }: { classId: string; userId: string; canAnnounce: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [content, setContent] = useDraft(draftKey(userId, { kind: "post", classId }));
  const length = lengthState(content, MAX_POST_LENGTH);
  // A teacher's post is an announcement (everyone is notified) unless they make it a discussion;
  // a student's is always a discussion.
  const [announce, setAnnounce] = useState(true);
  const files = useUploads({ classId, purpose: "post" });
  const create = useMutation(
    trpc.post.create.mutationOptions({
      onSuccess: async () => {
        setContent("");
        files.reset();
        await queryClient.invalidateQueries(trpc.post.list.pathFilter());
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!content.trim() || length.over || !files.settled) return;
    const file_ids = files.fileIds.length > 0 ? { file_ids: files.fileIds } : {};
    create.mutate({ class_id: classId, content: content.trim(), kind: canAnnounce && announce ? "announcement" : "discussion", ...file_ids });
  }

  return (
    <form className="card new-post" onSubmit={submit}>
      <label className="field">
        <span>Post to the class</span>
        <textarea
          rows={3}
          value={content}
          onChange={(e) => setContent(e.target.value)}
          aria-invalid={length.over}
          aria-describedby="new-post-count"
          placeholder={canAnnounce ? "An announcement, a reading, a question for discussion…" : "A question for discussion, a link, something to share…"}
        />
      </label>
      <LengthHint id="new-post-count" state={length} what="post" />
      <FileUploader uploads={files} disabled={create.isPending} />
      {create.isError && (
        <p className="error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      <div className="form-actions">
        {canAnnounce && (
          <label className="check post-kind">
            <input type="checkbox" checked={announce} onChange={(e) => setAnnounce(e.target.checked)} />
            <span>Announcement: notify the class</span>
          </label>
        )}
        <button type="submit" className="button primary" disabled={create.isPending || !content.trim() || length.over || !files.settled}>
          {create.isPending ? "Posting…" : "Post"}
        </button>
      </div>
    </form>
  );
}
