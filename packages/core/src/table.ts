/**
 * The one DynamoDB table behind Classroom, and the ElectroDB service over it.
 *
 * Single-table design. Every item has `pk`/`sk`; ElectroDB prefixes the values with the
 * entity name, so entities sharing a partition never collide. One GSI (`gsi1`) serves the
 * secondary access patterns (my classes, user by email, posts of a class, comments of a post).
 *
 * | entity     | pk          | sk          | gsi1pk   | gsi1sk                 |
 * |------------|-------------|-------------|----------|------------------------|
 * | class      | class_id    | -           |          |                        |
 * | enrollmentCode | code    | -           |          |                        |
 * | membership | class_id    | user_id     | user_id  | class_id               |
 * | invitation | email       | class_id    | class_id | email                  |
 * | user       | user_id     | -           | email    | -                      |
 * | message    | class_id    | created_at  |          |                        |
 * | messageRef | message_id  | -           |          |                        |
 * | post       | post_id     | -           | class_id | created_at, post_id    |
 * | pinBoard   | class_id    | -           |          |                        |
 * | comment    | comment_id  | -           | post_id  | created_at, comment_id |
 * | notification | user_id   | at, event_id |         |                        |
 * | inbox      | user_id     | -           |          |                        |
 * | rateWindow | user_id, bucket, window | - |     |                        |
 * | auditEvent | class_id    | at, event_id |         |                        |
 * | classStats | class_id    | day         |          |                        |
 * | assignment | assignment_id | -         | class_id | due_key, assignment_id |
 * | submission | class_id    | assignment_id, student_id | |                 |
 * | submissionWork | class_id | assignment_id, student_id | |               |
 * | standing   | class_id    | student_id  | rank: class_id / score, name (while a student); top: the same, only above the threshold |
 * | file       | file_id     | -           |          |                        |
 * | fileLink   | parent_type, parent_id | file_id | |                      |
 * | interaction | class_id   | user_id, day, item_type, item_id | |          |
 * | itemNeighbours | class_id | item_type, item_id |  |                     |
 * | recommendationModel | class_id | -      | queue (sparse) | due_since     |
 *
 * Chat messages live in their class's partition so listing and polling are a strongly
 * consistent Query on the base table (a GSI can only be read eventually consistently).
 * Submissions live there too, keyed by assignment then student, so one Query reads a whole
 * gradebook (or, by key prefix, one assignment's submissions) with no per-student reads.
 * Standings live there as well; two more GSIs order them (ClassRankingIndex, and the sparse
 * TopPerformersIndex holding only those above the threshold), read eventually consistently,
 * for order only: exact figures come from the base table (see standing/index.ts).
 * `expires_at` (epoch seconds) is the TTL attribute; reads also filter on it because TTL
 * deletion lags. The stream carries new and old images for audit and analytics.
 *
 * `tableDefinition` is the only description of the table: the infra and the local stack
 * both derive theirs from it (the local stack through table-admin.ts, which creates it).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Service } from "electrodb";
import { AuditEventEntity, ClassStatsEntity } from "./audit/entity.ts";
import { ClassEntity, EnrollmentCodeEntity } from "./class/entity.ts";
import { AssignmentEntity } from "./assignment/entity.ts";
import { SubmissionEntity, SubmissionWorkEntity } from "./submission/entity.ts";
import { StandingEntity } from "./standing/entity.ts";
import { MessageEntity, MessageRefEntity } from "./chat/entity.ts";
import { CommentEntity } from "./comment/entity.ts";
import { FileEntity, FileLinkEntity } from "./file/entity.ts";
import { InvitationEntity, MembershipEntity } from "./membership/entity.ts";
import { InboxEntity, NotificationEntity } from "./notification/entity.ts";
import { PinBoardEntity, PostEntity } from "./post/entity.ts";
import { InteractionEntity, ItemNeighboursEntity, RecommendationModelEntity } from "./recommendation/entity.ts";
import { RateWindowEntity } from "./ratelimit/entity.ts";
import { UserEntity } from "./user/entity.ts";
import { tableDefinition, type TableDefinition } from "./table-definition.ts";

export { tableDefinition, type TableDefinition };


/** Environment variables the table module reads (set by the infra or the local stack). */
export const TABLE_ENV = "CLASSROOM_TABLE";
export const ENDPOINT_ENV = "DYNAMODB_ENDPOINT";

export function tableName(): string {
  return process.env[TABLE_ENV] ?? "classroom";
}

let document: DynamoDBDocumentClient | undefined;

/**
 * One client per process, created on first use and reused across Lambda invocations.
 * `DYNAMODB_ENDPOINT` points it at DynamoDB Local.
 *
 * Timeouts: the SDK waits forever by default, so a stalled connection (network partition,
 * overloaded endpoint) would hold a request until the Lambda dies. A connection must open
 * within 1 s and a call must see a byte within 3 s (without `throwOnRequestTimeout` the SDK
 * only logs a warning and keeps waiting); a timed-out call is retried by the SDK,
 * and then fails as `service.unavailable` (503), so a request gives up in about 10 s at worst.
 */
const requestHandler = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true };

export function dynamo(): DynamoDBDocumentClient {
  if (!document) {
    const endpoint = process.env[ENDPOINT_ENV];
    const raw = new DynamoDBClient(
      endpoint
        ? {
            endpoint,
            region: process.env.AWS_REGION ?? "local",
            credentials: { accessKeyId: "local", secretAccessKey: "local" },
            maxAttempts: 2,
            // DynamoDB Local is one JVM sharing the machine with everything else under test: a
            // burst of connections can wait longer than 1 s for accept() without anything being down.
            requestHandler: { ...requestHandler, connectionTimeout: 5_000 },
          }
        : { maxAttempts: 3, requestHandler },
    );
    document = DynamoDBDocumentClient.from(raw, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return document;
}

const entities = {
  class: ClassEntity,
  enrollmentCode: EnrollmentCodeEntity,
  assignment: AssignmentEntity,
  submission: SubmissionEntity,
  submissionWork: SubmissionWorkEntity,
  standing: StandingEntity,
  membership: MembershipEntity,
  invitation: InvitationEntity,
  user: UserEntity,
  message: MessageEntity,
  messageRef: MessageRefEntity,
  post: PostEntity,
  pinBoard: PinBoardEntity,
  comment: CommentEntity,
  rateWindow: RateWindowEntity,
  notification: NotificationEntity,
  inbox: InboxEntity,
  auditEvent: AuditEventEntity,
  classStats: ClassStatsEntity,
  file: FileEntity,
  fileLink: FileLinkEntity,
  interaction: InteractionEntity,
  itemNeighbours: ItemNeighboursEntity,
  recommendationModel: RecommendationModelEntity,
};

let service: Service<typeof entities> | undefined;

/** The ElectroDB service: every entity bound to the table and client, plus transactions. */
export function db(): Service<typeof entities> {
  service ??= new Service(entities, { client: dynamo(), table: tableName() });
  return service;
}
