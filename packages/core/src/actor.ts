/** The authenticated person a domain function acts for. Transports build it from a verified token. */
export interface Actor {
  /** Stable user id (the Cognito `sub`). */
  userId: string;
  /** Display name shown beside messages and comments. */
  name: string;
  email?: string;
}
