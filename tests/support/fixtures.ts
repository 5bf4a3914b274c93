import { asPlatform } from '../../db/scope.ts';
import type { Database } from '../../db/port.ts';
import { DEFAULT_LOCATION_POLICY } from '../../tenants/policy/location-policy.ts';

export interface TenantWorld {
  tenantId: string;
  staffUserId: string;
  botId: string;
  locationId: string;
  serviceId: string;
  masterId: string;
  otherMasterId: string;
  clientId: string;
  bookingId: string;
}

let telegramIds = 1000;
const nextTelegramId = () => ++telegramIds + Math.floor(Math.random() * 1_000_000) * 1000;

/**
 * A tenant with one row in every tenant-owned table (the RLS test relies on that: a new table must
 * be added here). Inserted as the platform.
 */
export async function createTenantWorld(db: Database, label: string): Promise<TenantWorld> {
  return asPlatform(db, async (tx) => {
    const one = async (text: string, params: unknown[]) => {
      const [row] = await tx.query<{ id: string }>(text, params);
      return row!.id;
    };
    const slug = `${label}-${Math.random().toString(36).slice(2, 8)}`;
    const tenantId = await one('insert into tenants (slug, name) values ($1, $2) returning id', [
      slug,
      `Tenant ${label}`,
    ]);
    const staffUserId = await one(
      "insert into staff_users (tenant_id, role, email, display_name) values ($1, 'owner', $2, 'Owner') returning id",
      [tenantId, `owner@${slug}.test`],
    );
    const botId = await one(
      "insert into tenant_bots (tenant_id, telegram_bot_id, username, token_ciphertext, webhook_secret_ciphertext) values ($1, $2, $3, 'v1.AAAA', 'v1.BBBB') returning id",
      [tenantId, nextTelegramId(), `${label.replace(/\W/g, '')}_demo_bot`],
    );
    const locationId = await one(
      "insert into locations (tenant_id, name, timezone, currency, policy) values ($1, 'Main', 'Europe/Berlin', 'EUR', $2::jsonb) returning id",
      [tenantId, JSON.stringify(DEFAULT_LOCATION_POLICY)],
    );
    const serviceId = await one(
      "insert into services (tenant_id, location_id, name, duration_min, price_minor) values ($1, $2, 'Haircut', 60, 4000) returning id",
      [tenantId, locationId],
    );
    const masterId = await one(
      "insert into masters (tenant_id, location_id, display_name) values ($1, $2, 'Alex') returning id",
      [tenantId, locationId],
    );
    const otherMasterId = await one(
      "insert into masters (tenant_id, location_id, display_name) values ($1, $2, 'Bo') returning id",
      [tenantId, locationId],
    );
    await tx.query(
      'insert into master_skills (tenant_id, location_id, master_id, service_id) values ($1, $2, $3, $4)',
      [tenantId, locationId, masterId, serviceId],
    );
    await tx.query(
      "insert into working_hours (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, 1, '09:00', '18:00')",
      [tenantId, masterId],
    );
    await tx.query(
      "insert into breaks (tenant_id, master_id, weekday, start_local, end_local) values ($1, $2, 1, '13:00', '13:30')",
      [tenantId, masterId],
    );
    await tx.query(
      "insert into time_off (tenant_id, master_id, all_day, first_day, last_day) values ($1, $2, true, '2030-01-01', '2030-01-02')",
      [tenantId, masterId],
    );
    const clientId = await one(
      'insert into clients (tenant_id, telegram_user_id, first_name) values ($1, $2, $3) returning id',
      [tenantId, nextTelegramId(), 'Client'],
    );
    const bookingId = await one(
      `insert into bookings (tenant_id, location_id, master_id, client_id, status, start_at, end_at, span, hold_expires_at, total_minor, currency)
       values ($1, $2, $3, $4, 'held', '2030-01-07 10:00Z', '2030-01-07 11:00Z', '[2030-01-07 10:00Z, 2030-01-07 11:00Z)', now() + interval '15 minutes', 4000, 'EUR') returning id`,
      [tenantId, locationId, masterId, clientId],
    );
    await tx.query("update bookings set status = 'confirmed' where id = $1", [bookingId]);
    await tx.query(
      "insert into booking_items (tenant_id, booking_id, service_id, position, service_name, duration_min, price_minor, currency) values ($1, $2, $3, 0, 'Haircut', 60, 4000, 'EUR')",
      [tenantId, bookingId, serviceId],
    );
    await tx.query(
      "insert into payments (tenant_id, booking_id, provider, purpose, amount_minor, currency, invoice_payload) values ($1, $2, 'venue', 'prepayment', 4000, 'EUR', $3)",
      [tenantId, bookingId, `inv-${slug}`],
    );
    await tx.query(
      "insert into jobs (tenant_id, kind, key, run_at) values ($1, 'reminder_send', $2, '2030-01-06 10:00Z')",
      [tenantId, `reminder:${bookingId}:1440`],
    );
    await tx.query(
      "insert into telegram_updates (tenant_id, bot_id, update_id, state) values ($1, $2, 1, 'done')",
      [tenantId, botId],
    );
    await tx.query('insert into job_effects (tenant_id, key) values ($1, $2)', [
      tenantId,
      `reminder:${bookingId}:1440`,
    ]);
    await tx.query(
      "insert into owner_notifications (tenant_id, kind, booking_id) values ($1, 'booking_created', $2)",
      [tenantId, bookingId],
    );
    await tx.query('insert into bot_sessions (tenant_id, bot_id, chat_id) values ($1, $2, $3)', [
      tenantId,
      botId,
      nextTelegramId(),
    ]);
    await tx.query(
      "insert into tenant_claims (code_hash, tenant_id, role, expires_at) values (sha256(convert_to($1, 'utf8')), $2, 'manager', now() + interval '1 day')",
      [`claim-${slug}`, tenantId],
    );
    await tx.query(
      'insert into staff_locations (tenant_id, staff_user_id, location_id) values ($1, $2, $3)',
      [tenantId, staffUserId, locationId],
    );
    await tx.query(
      "insert into audit_log (tenant_id, actor_staff_id, actor_role, action) values ($1, $2, 'owner', 'session.sign_in')",
      [tenantId, staffUserId],
    );
    // Platform-only (no tenant): a sign-up attempt, so the RLS test refuses a tenant a table that has rows.
    await tx.query(
      "insert into signup_attempts (ip_hash) values (decode(repeat('ab', 32), 'hex'))",
    );
    return {
      tenantId,
      staffUserId,
      botId,
      locationId,
      serviceId,
      masterId,
      otherMasterId,
      clientId,
      bookingId,
    };
  });
}
