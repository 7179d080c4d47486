/**
 * Shopify session storage over our Prisma client.
 *
 * Why not @shopify/shopify-app-session-storage-prisma: it imports `Prisma` from
 * `@prisma/client`, which in Prisma 7 only exists for the legacy generator; our client is the
 * Rust-free `prisma-client` output (one per database dialect). See
 * docs/decisions/003-own-session-storage.md. The row shape is the same as that package's, so
 * a later switch needs no migration.
 */
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { Database } from "./db.server";
import type { Session as SessionRow } from "./generated/prisma/sqlite/client";

export class PrismaSessionStorage implements SessionStorage {
  constructor(private readonly prisma: Database) {}

  async storeSession(session: Session): Promise<boolean> {
    const data = sessionToRow(session);
    await this.prisma.session.upsert({ where: { id: session.id }, update: data, create: data });
    return true;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = await this.prisma.session.findUnique({ where: { id } });
    return row ? rowToSession(row) : undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    await this.prisma.session.deleteMany({ where: { id } });
    return true;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    await this.prisma.session.deleteMany({ where: { id: { in: ids } } });
    return true;
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const rows = await this.prisma.session.findMany({ where: { shop }, take: 100, orderBy: { id: "asc" } });
    return rows.map(rowToSession);
  }
}

function sessionToRow(session: Session): Omit<SessionRow, never> {
  const user = session.onlineAccessInfo?.associated_user;
  return {
    id: session.id,
    shop: session.shop,
    state: session.state,
    isOnline: session.isOnline,
    scope: session.scope ?? null,
    expires: session.expires ?? null,
    accessToken: session.accessToken ?? "",
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpires: session.refreshTokenExpires ?? null,
    userId: user?.id != null ? BigInt(user.id) : null,
    firstName: user?.first_name ?? null,
    lastName: user?.last_name ?? null,
    email: user?.email ?? null,
    accountOwner: user?.account_owner ?? false,
    locale: user?.locale ?? null,
    collaborator: user?.collaborator ?? false,
    emailVerified: user?.email_verified ?? false,
  };
}

function rowToSession(row: SessionRow): Session {
  return new Session({
    id: row.id,
    shop: row.shop,
    state: row.state,
    isOnline: row.isOnline,
    scope: row.scope ?? undefined,
    expires: row.expires ?? undefined,
    accessToken: row.accessToken || undefined,
    refreshToken: row.refreshToken ?? undefined,
    refreshTokenExpires: row.refreshTokenExpires ?? undefined,
    onlineAccessInfo:
      row.isOnline && row.userId != null
        ? {
            expires_in: 0,
            associated_user_scope: row.scope ?? "",
            associated_user: {
              id: Number(row.userId),
              first_name: row.firstName ?? undefined,
              last_name: row.lastName ?? undefined,
              email: row.email ?? undefined,
              account_owner: row.accountOwner,
              locale: row.locale ?? undefined,
              collaborator: row.collaborator ?? undefined,
              email_verified: row.emailVerified ?? undefined,
            },
          }
        : undefined,
  });
}
