/**
 * Versioned schema migrations, applied in order, each inside the same transaction that records it.
 * Never edit a migration that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  /** The migration in SQLite's dialect. */
  sql: string;
  /** The same migration in PostgreSQL's dialect, for a team's shared database. */
  postgres?: string;
  /**
   * The SQLite form rebuilds tables (create new, copy, drop old, rename): it runs with foreign
   * keys off — a pragma SQLite ignores inside a transaction, so migrate() sets it before — and
   * `PRAGMA foreign_key_check` must find nothing before it commits.
   */
  rebuildsTables?: boolean;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'bookkeeping',
    sql: `
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'incidents',
    sql: `
      CREATE TABLE incidents (
        number          INTEGER PRIMARY KEY AUTOINCREMENT,
        title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
        severity        INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
        status          TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'closed')),
        service         TEXT,
        impact          TEXT,
        impact_fraction REAL NOT NULL DEFAULT 1 CHECK (impact_fraction >= 0 AND impact_fraction <= 1),
        started_at      TEXT NOT NULL,
        detected_at     TEXT NOT NULL,
        declared_at     TEXT NOT NULL,
        declared_by     TEXT NOT NULL,
        impact_ended_at TEXT,
        resolved_at     TEXT,
        closed_at       TEXT,
        root_cause      TEXT,
        mitigation      TEXT,
        follow_up       TEXT
      );
      CREATE INDEX incidents_started_at ON incidents (started_at);
      CREATE INDEX incidents_status ON incidents (status);

      CREATE TABLE incident_roles (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        incident    INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        role        TEXT NOT NULL CHECK (role IN ('commander', 'deputy', 'scribe', 'sme', 'liaison')),
        person      TEXT NOT NULL,
        assumed_at  TEXT NOT NULL,
        left_at     TEXT
      );
      CREATE INDEX incident_roles_incident ON incident_roles (incident);

      CREATE TABLE incident_timeline (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        incident    INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        type        TEXT NOT NULL,
        text        TEXT NOT NULL,
        author      TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX incident_timeline_incident ON incident_timeline (incident, at);

      CREATE TABLE incident_deliveries (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        incident        INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        timeline_id     INTEGER REFERENCES incident_timeline (id) ON DELETE SET NULL,
        kind            TEXT NOT NULL,
        webhook         TEXT NOT NULL,
        payload         TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        last_attempt_at TEXT,
        delivered_at    TEXT
      );
      CREATE INDEX incident_deliveries_incident ON incident_deliveries (incident, status);
    `,
  },
  {
    version: 3,
    name: 'runbook_runs',
    sql: `
      CREATE TABLE runbook_runs (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        runbook      TEXT NOT NULL,
        title        TEXT NOT NULL,
        path         TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        actor        TEXT NOT NULL,
        mode         TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT NOT NULL,
        passed       INTEGER NOT NULL,
        stopped      INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX runbook_runs_by_runbook ON runbook_runs (runbook, started_at);
      CREATE TABLE runbook_run_steps (
        run_id      INTEGER NOT NULL REFERENCES runbook_runs (id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        step_id     TEXT NOT NULL,
        title       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        command     TEXT NOT NULL,
        status      TEXT NOT NULL,
        exit_code   INTEGER,
        duration_ms REAL,
        stdout      TEXT NOT NULL,
        stderr      TEXT NOT NULL,
        expected    TEXT,
        reason      TEXT,
        PRIMARY KEY (run_id, seq)
      );
    `,
  },
  {
    version: 4,
    name: 'learning',
    sql: `
      -- Postmortem state per incident (the learning loop): a row exists once an incident is flagged a near
      -- miss or its postmortem is marked done.
      CREATE TABLE postmortems (
        incident  INTEGER PRIMARY KEY REFERENCES incidents (number) ON DELETE CASCADE,
        near_miss INTEGER NOT NULL DEFAULT 0 CHECK (near_miss IN (0, 1)),
        done_at   TEXT,
        done_by   TEXT,
        file      TEXT
      );

      -- Action items: specific, owned, dated; priority and type as in Monzo Response.
      CREATE TABLE action_items (
        number       INTEGER PRIMARY KEY AUTOINCREMENT,
        incident     INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
        owner        TEXT NOT NULL CHECK (length(trim(owner)) > 0),
        due          TEXT NOT NULL,
        priority     TEXT CHECK (priority IN ('high', 'medium', 'low')),
        type         TEXT CHECK (type IN ('detective', 'preventive', 'corrective')),
        created_at   TEXT NOT NULL,
        created_ms   INTEGER NOT NULL,   -- Unix milliseconds of created_at, for ir metrics' arithmetic
        created_by   TEXT NOT NULL,
        completed_at TEXT,
        completed_ms INTEGER,            -- likewise for completed_at
        completed_by TEXT
      );
      CREATE INDEX action_items_incident ON action_items (incident);
      CREATE INDEX action_items_open ON action_items (due) WHERE completed_at IS NULL;

      -- ir metrics needs durations over 100 000 incidents in well under a second; parsing the ISO
      -- text with julianday() for every row costs more than the rest of the query. So each time
      -- column also has a Unix-millisecond twin, filled by triggers whatever code writes the row
      -- (an insert that supplies them itself, like ir incident import, skips the trigger).
      ALTER TABLE incidents ADD COLUMN started_ms INTEGER;
      ALTER TABLE incidents ADD COLUMN detected_ms INTEGER;
      ALTER TABLE incidents ADD COLUMN resolved_ms INTEGER;
      ALTER TABLE incidents ADD COLUMN impact_ended_ms INTEGER;
      UPDATE incidents SET
            started_ms = CAST(round((julianday(started_at) - 2440587.5) * 86400000) AS INTEGER),
            detected_ms = CAST(round((julianday(detected_at) - 2440587.5) * 86400000) AS INTEGER),
            resolved_ms = CAST(round((julianday(resolved_at) - 2440587.5) * 86400000) AS INTEGER),
            impact_ended_ms = CAST(round((julianday(impact_ended_at) - 2440587.5) * 86400000) AS INTEGER);
      CREATE TRIGGER incidents_ms_insert AFTER INSERT ON incidents WHEN NEW.started_ms IS NULL BEGIN
        UPDATE incidents SET
            started_ms = CAST(round((julianday(NEW.started_at) - 2440587.5) * 86400000) AS INTEGER),
            detected_ms = CAST(round((julianday(NEW.detected_at) - 2440587.5) * 86400000) AS INTEGER),
            resolved_ms = CAST(round((julianday(NEW.resolved_at) - 2440587.5) * 86400000) AS INTEGER),
            impact_ended_ms = CAST(round((julianday(NEW.impact_ended_at) - 2440587.5) * 86400000) AS INTEGER)
         WHERE number = NEW.number;
      END;
      CREATE TRIGGER incidents_ms_update AFTER UPDATE OF started_at, detected_at, resolved_at, impact_ended_at ON incidents BEGIN
        UPDATE incidents SET
            started_ms = CAST(round((julianday(NEW.started_at) - 2440587.5) * 86400000) AS INTEGER),
            detected_ms = CAST(round((julianday(NEW.detected_at) - 2440587.5) * 86400000) AS INTEGER),
            resolved_ms = CAST(round((julianday(NEW.resolved_at) - 2440587.5) * 86400000) AS INTEGER),
            impact_ended_ms = CAST(round((julianday(NEW.impact_ended_at) - 2440587.5) * 86400000) AS INTEGER)
         WHERE number = NEW.number;
      END;

      -- ir metrics groups the incidents of a period by month and severity: this covering index
      -- holds them in that order (and every column the query reads), so SQLite neither sorts nor
      -- touches the table.
      CREATE INDEX incidents_month ON incidents (substr(started_at, 1, 7), severity, started_at, service, started_ms, detected_ms, resolved_ms, impact_ended_ms, impact_fraction);
      -- (The joins from postmortems and action_items are driven from those small tables.)
      -- Medians: each index holds the durations in order, so the middle one is read, not sorted for.
      CREATE INDEX incidents_mttd ON incidents ((detected_ms - started_ms), started_at, service);
      CREATE INDEX incidents_mttr ON incidents ((resolved_ms - detected_ms), started_at, service);
      CREATE INDEX incidents_mttd_sev ON incidents (severity, (detected_ms - started_ms), started_at, service);
      CREATE INDEX incidents_mttr_sev ON incidents (severity, (resolved_ms - detected_ms), started_at, service);
    `,
  },
  {
    version: 5,
    name: 'calendar events',
    sql: `
      -- What ir oncall export --ics last published per event UID, so a revised event gets a higher
      -- SEQUENCE and an unchanged one keeps its own (src/oncall/revision.ts).
      CREATE TABLE calendar_events (
        uid          TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        sequence     INTEGER NOT NULL CHECK (sequence >= 0),
        modified_at  TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'import_key',
    sql: `
      -- ir incident import: the identity an imported incident keeps from its source (the source
      -- system's id with its label, else a fingerprint of title, start and service; see
      -- src/history/import-key.ts). Unique, so that a second import of the same history — even one
      -- running at the same moment in another process — cannot add it twice. Declared incidents,
      -- and incidents imported before this migration, have none (NULLs never collide).
      ALTER TABLE incidents ADD COLUMN import_key TEXT;
      CREATE UNIQUE INDEX incidents_import_key ON incidents (import_key);
    `,
  },
  {
    version: 7,
    name: 'delivery claims',
    sql: `
      -- ir incident notify: a sender claims a delivery (in the transaction that reads it) until
      -- this instant before posting it, so two senders — two --retry runs, or a retry while the
      -- first post is in flight — never post the same update twice. A claim that outlives its
      -- sender (a crash) expires, and the delivery is retried then.
      ALTER TABLE incident_deliveries ADD COLUMN claimed_until TEXT;
    `,
  },
  {
    version: 8,
    name: 'changes',
    sql: `
      -- ir change record / exec / import: deploys and other changes to production, and the
      -- incidents they caused (ir change link), for "what changed?" and the change-failure rate.
      CREATE TABLE changes (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        service     TEXT NOT NULL CHECK (length(trim(service)) > 0),
        kind        TEXT NOT NULL CHECK (kind IN ('deploy', 'config', 'feature-flag', 'infrastructure', 'database', 'other')),
        version     TEXT,
        description TEXT,
        actor       TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        exit_code   INTEGER,
        command     TEXT,
        import_key  TEXT
      );
      CREATE INDEX changes_service_started_at ON changes (service, started_at);
      CREATE INDEX changes_started_at ON changes (started_at);
      CREATE UNIQUE INDEX changes_import_key ON changes (import_key);

      CREATE TABLE incident_changes (
        incident  INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        change    INTEGER NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
        linked_by TEXT NOT NULL,
        linked_at TEXT NOT NULL,
        PRIMARY KEY (incident, change)
      );
      CREATE INDEX incident_changes_change ON incident_changes (change);
    `,
    postgres: `
      CREATE TABLE changes (
        id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        service     TEXT NOT NULL CHECK (length(trim(service)) > 0),
        kind        TEXT NOT NULL CHECK (kind IN ('deploy', 'config', 'feature-flag', 'infrastructure', 'database', 'other')),
        version     TEXT,
        description TEXT,
        actor       TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        exit_code   INTEGER,
        command     TEXT,
        import_key  TEXT
      );
      CREATE INDEX changes_service_started_at ON changes (service, started_at);
      CREATE INDEX changes_started_at ON changes (started_at);
      CREATE UNIQUE INDEX changes_import_key ON changes (import_key);

      CREATE TABLE incident_changes (
        incident  BIGINT NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        change    BIGINT NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
        linked_by TEXT NOT NULL,
        linked_at TEXT NOT NULL,
        PRIMARY KEY (incident, change)
      );
      CREATE INDEX incident_changes_change ON incident_changes (change);
    `,
  },
  {
    version: 9,
    name: 'status page',
    sql: `
      -- The public side of incidents, for ir status-page build. Public updates are what customers
      -- read; they live apart from the internal timeline so that no internal note can reach the
      -- page. Component changes record which configured component (ir.yaml components[].id) an
      -- incident affects and how, from a moment on; public_impact is the status-page impact
      -- (none, minor, major, critical) when someone set it. Maintenance windows are planned work
      -- on components; exclude_from_budget = 1 keeps their time out of ir budget --from-incidents.
      ALTER TABLE incidents ADD COLUMN public_impact TEXT CHECK (public_impact IN ('none', 'minor', 'major', 'critical'));

      CREATE TABLE public_updates (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        incident    INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'closed')),
        body        TEXT NOT NULL CHECK (length(trim(body)) > 0),
        author      TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX public_updates_incident ON public_updates (incident, at);

      CREATE TABLE component_changes (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        incident    INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        update_id   INTEGER REFERENCES public_updates (id) ON DELETE SET NULL,
        component   TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('operational', 'degraded_performance', 'partial_outage', 'major_outage')),
        at          TEXT NOT NULL,
        author      TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX component_changes_incident ON component_changes (incident, at);

      CREATE TABLE maintenances (
        number              INTEGER PRIMARY KEY AUTOINCREMENT,
        title               TEXT NOT NULL CHECK (length(trim(title)) > 0),
        body                TEXT,
        scheduled_for       TEXT NOT NULL,
        scheduled_until     TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
        exclude_from_budget INTEGER NOT NULL DEFAULT 0 CHECK (exclude_from_budget IN (0, 1)),
        created_at          TEXT NOT NULL,
        created_by          TEXT NOT NULL,
        started_at          TEXT,
        completed_at        TEXT,
        cancelled_at        TEXT,
        CHECK (scheduled_until > scheduled_for)
      );
      CREATE INDEX maintenances_scheduled ON maintenances (scheduled_for);
      CREATE TABLE maintenance_components (
        maintenance INTEGER NOT NULL REFERENCES maintenances (number) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        component   TEXT NOT NULL,
        PRIMARY KEY (maintenance, position)
      );
    `,
    postgres: `
      ALTER TABLE incidents ADD COLUMN public_impact TEXT CHECK (public_impact IN ('none', 'minor', 'major', 'critical'));

      CREATE TABLE public_updates (
        id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        incident    BIGINT NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        at          TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'closed')),
        body        TEXT NOT NULL CHECK (length(trim(body)) > 0),
        author      TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX public_updates_incident ON public_updates (incident, at);

      CREATE TABLE component_changes (
        id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        incident    BIGINT NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        update_id   BIGINT REFERENCES public_updates (id) ON DELETE SET NULL,
        component   TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('operational', 'degraded_performance', 'partial_outage', 'major_outage')),
        at          TEXT NOT NULL,
        author      TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX component_changes_incident ON component_changes (incident, at);

      CREATE TABLE maintenances (
        number              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        title               TEXT NOT NULL CHECK (length(trim(title)) > 0),
        body                TEXT,
        scheduled_for       TEXT NOT NULL,
        scheduled_until     TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('scheduled', 'in_progress', 'completed', 'cancelled')),
        exclude_from_budget INTEGER NOT NULL DEFAULT 0 CHECK (exclude_from_budget IN (0, 1)),
        created_at          TEXT NOT NULL,
        created_by          TEXT NOT NULL,
        started_at          TEXT,
        completed_at        TEXT,
        cancelled_at        TEXT,
        CHECK (scheduled_until > scheduled_for)
      );
      CREATE INDEX maintenances_scheduled ON maintenances (scheduled_for);
      CREATE TABLE maintenance_components (
        maintenance BIGINT NOT NULL REFERENCES maintenances (number) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        component   TEXT NOT NULL,
        PRIMARY KEY (maintenance, position)
      );
    `,
  },
  {
    version: 10,
    name: 'incident lifecycle',
    rebuildsTables: true,
    sql: `
      -- The whole lifecycle: when the page was acknowledged and the impact mitigated, the statuses
      -- mitigated and cancelled (a false alarm), drills, and whether the start was given or only
      -- estimated (declared without --started-at). SQLite cannot change a CHECK constraint in
      -- place, so the incidents table is rebuilt (foreign keys off; see Migration.rebuildsTables),
      -- with its triggers and indexes. Drills and cancelled incidents stay in the table; ir metrics
      -- and budgets leave them out unless asked, so the indexes they read carry drill and status.
      CREATE TABLE incidents_new (
        number          INTEGER PRIMARY KEY AUTOINCREMENT,
        title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
        severity        INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
        status          TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'mitigated', 'monitoring', 'resolved', 'closed', 'cancelled')),
        service         TEXT,
        impact          TEXT,
        impact_fraction REAL NOT NULL DEFAULT 1 CHECK (impact_fraction >= 0 AND impact_fraction <= 1),
        started_at      TEXT NOT NULL,
        detected_at     TEXT NOT NULL,
        declared_at     TEXT NOT NULL,
        declared_by     TEXT NOT NULL,
        impact_ended_at TEXT,
        resolved_at     TEXT,
        closed_at       TEXT,
        root_cause      TEXT,
        mitigation      TEXT,
        follow_up       TEXT,
        started_ms      INTEGER,
        detected_ms     INTEGER,
        resolved_ms     INTEGER,
        impact_ended_ms INTEGER,
        import_key      TEXT,
        acknowledged_at TEXT,
        acknowledged_ms INTEGER,
        mitigated_at    TEXT,
        mitigated_ms    INTEGER,
        drill           INTEGER NOT NULL DEFAULT 0 CHECK (drill IN (0, 1)),
        start_estimated INTEGER NOT NULL DEFAULT 0 CHECK (start_estimated IN (0, 1)),
        public_impact   TEXT CHECK (public_impact IN ('none', 'minor', 'major', 'critical'))
      );
      -- An incident declared before this migration whose start is its declaration instant, to the
      -- millisecond, had no start given: it is marked estimated. Imported ones had theirs given.
      INSERT INTO incidents_new (number, title, severity, status, service, impact, impact_fraction, started_at,
                                 detected_at, declared_at, declared_by, impact_ended_at, resolved_at, closed_at,
                                 root_cause, mitigation, follow_up, started_ms, detected_ms, resolved_ms,
                                 impact_ended_ms, import_key, start_estimated, public_impact)
           SELECT number, title, severity, status, service, impact, impact_fraction, started_at,
                  detected_at, declared_at, declared_by, impact_ended_at, resolved_at, closed_at,
                  root_cause, mitigation, follow_up, started_ms, detected_ms, resolved_ms,
                  impact_ended_ms, import_key, (import_key IS NULL AND started_at = declared_at), public_impact
             FROM incidents;
      -- Numbers are never reused: the new table continues the old one's sequence.
      DELETE FROM sqlite_sequence WHERE name = 'incidents_new';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'incidents_new', seq FROM sqlite_sequence WHERE name = 'incidents';
      DROP TABLE incidents;
      ALTER TABLE incidents_new RENAME TO incidents;

      CREATE TRIGGER incidents_ms_insert AFTER INSERT ON incidents WHEN NEW.started_ms IS NULL BEGIN
        UPDATE incidents SET
            started_ms = CAST(round((julianday(NEW.started_at) - 2440587.5) * 86400000) AS INTEGER),
            detected_ms = CAST(round((julianday(NEW.detected_at) - 2440587.5) * 86400000) AS INTEGER),
            resolved_ms = CAST(round((julianday(NEW.resolved_at) - 2440587.5) * 86400000) AS INTEGER),
            impact_ended_ms = CAST(round((julianday(NEW.impact_ended_at) - 2440587.5) * 86400000) AS INTEGER),
            acknowledged_ms = CAST(round((julianday(NEW.acknowledged_at) - 2440587.5) * 86400000) AS INTEGER),
            mitigated_ms = CAST(round((julianday(NEW.mitigated_at) - 2440587.5) * 86400000) AS INTEGER)
         WHERE number = NEW.number;
      END;
      CREATE TRIGGER incidents_ms_update AFTER UPDATE OF started_at, detected_at, resolved_at, impact_ended_at, acknowledged_at, mitigated_at ON incidents BEGIN
        UPDATE incidents SET
            started_ms = CAST(round((julianday(NEW.started_at) - 2440587.5) * 86400000) AS INTEGER),
            detected_ms = CAST(round((julianday(NEW.detected_at) - 2440587.5) * 86400000) AS INTEGER),
            resolved_ms = CAST(round((julianday(NEW.resolved_at) - 2440587.5) * 86400000) AS INTEGER),
            impact_ended_ms = CAST(round((julianday(NEW.impact_ended_at) - 2440587.5) * 86400000) AS INTEGER),
            acknowledged_ms = CAST(round((julianday(NEW.acknowledged_at) - 2440587.5) * 86400000) AS INTEGER),
            mitigated_ms = CAST(round((julianday(NEW.mitigated_at) - 2440587.5) * 86400000) AS INTEGER)
         WHERE number = NEW.number;
      END;

      CREATE INDEX incidents_started_at ON incidents (started_at);
      CREATE INDEX incidents_status ON incidents (status);
      CREATE UNIQUE INDEX incidents_import_key ON incidents (import_key);
      CREATE INDEX incidents_month ON incidents (substr(started_at, 1, 7), severity, started_at, service, drill, status, start_estimated, started_ms, detected_ms, resolved_ms, acknowledged_ms, mitigated_ms, impact_ended_ms, impact_fraction);
      CREATE INDEX incidents_mttd ON incidents ((detected_ms - started_ms), started_at, service, drill, status, start_estimated);
      CREATE INDEX incidents_mttr ON incidents ((resolved_ms - detected_ms), started_at, service, drill, status);
      CREATE INDEX incidents_tta ON incidents ((acknowledged_ms - detected_ms), started_at, service, drill, status);
      CREATE INDEX incidents_ttm ON incidents ((mitigated_ms - detected_ms), started_at, service, drill, status);
      CREATE INDEX incidents_mttd_sev ON incidents (severity, (detected_ms - started_ms), started_at, service, drill, status, start_estimated);
      CREATE INDEX incidents_mttr_sev ON incidents (severity, (resolved_ms - detected_ms), started_at, service, drill, status);
      CREATE INDEX incidents_tta_sev ON incidents (severity, (acknowledged_ms - detected_ms), started_at, service, drill, status);
      CREATE INDEX incidents_ttm_sev ON incidents (severity, (mitigated_ms - detected_ms), started_at, service, drill, status);
    `,
    postgres: `
      ALTER TABLE incidents DROP CONSTRAINT incidents_status_check;
      ALTER TABLE incidents ADD CONSTRAINT incidents_status_check
        CHECK (status IN ('investigating', 'identified', 'mitigated', 'monitoring', 'resolved', 'closed', 'cancelled'));
      ALTER TABLE incidents ADD COLUMN acknowledged_at TIMESTAMPTZ;
      ALTER TABLE incidents ADD COLUMN mitigated_at TIMESTAMPTZ;
      ALTER TABLE incidents ADD COLUMN drill BOOLEAN NOT NULL DEFAULT FALSE;
      ALTER TABLE incidents ADD COLUMN start_estimated BOOLEAN NOT NULL DEFAULT FALSE;
      UPDATE incidents SET start_estimated = TRUE WHERE import_key IS NULL AND started_at = declared_at;
      CREATE INDEX incidents_tta ON incidents ((acknowledged_at - detected_at), started_at, service, drill, status);
      CREATE INDEX incidents_ttm ON incidents ((mitigated_at - detected_at), started_at, service, drill, status);
      `,
  },
  {
    version: 11,
    name: 'incident alerts',
    sql: `
      -- ir alert ingest / listen: the alerts an incident tracks, by key (the format and the alert's
      -- fingerprint, or its group key), so a repeated notification finds the incident it already
      -- made instead of declaring another, and a resolved alert finds the incident to tell.
      CREATE TABLE incident_alerts (
        incident      INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        alert_key     TEXT NOT NULL,
        source        TEXT NOT NULL,
        alertname     TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
        starts_at     TEXT NOT NULL,
        ends_at       TEXT,
        first_seen_at TEXT NOT NULL,
        last_seen_at  TEXT NOT NULL,
        PRIMARY KEY (alert_key, incident)
      );
      CREATE INDEX incident_alerts_incident ON incident_alerts (incident);
    `,
    postgres: `
      CREATE TABLE incident_alerts (
        incident      BIGINT NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        alert_key     TEXT NOT NULL,
        source        TEXT NOT NULL,
        alertname     TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
        starts_at     TEXT NOT NULL,
        ends_at       TEXT,
        first_seen_at TEXT NOT NULL,
        last_seen_at  TEXT NOT NULL,
        PRIMARY KEY (alert_key, incident)
      );
      CREATE INDEX incident_alerts_incident ON incident_alerts (incident);
    `,
  },
  {
    version: 12,
    name: 'incident edits and the current incident',
    sql: `
      -- ir incident edit / ir incident log --amend: every correction of the record keeps the value it
      -- replaced, who changed it and when. field is the incident's field (title, severity, …), or
      -- entry (with entry_id) for a logged timeline entry whose text was amended.
      CREATE TABLE incident_edits (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        incident   INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        field      TEXT NOT NULL,
        entry_id   INTEGER REFERENCES incident_timeline (id) ON DELETE CASCADE,
        old_value  TEXT,
        new_value  TEXT,
        author     TEXT NOT NULL,
        at         TEXT NOT NULL,
        CHECK ((field = 'entry') = (entry_id IS NOT NULL))
      );
      CREATE INDEX incident_edits_incident ON incident_edits (incident, id);

      -- ir incident use: the incident later commands default to, one per ops repository (the
      -- directory of its ir.yaml); resolving or cancelling the incident clears it.
      CREATE TABLE current_incidents (
        repo     TEXT PRIMARY KEY,
        incident INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        set_by   TEXT NOT NULL,
        set_at   TEXT NOT NULL
      );
      CREATE INDEX current_incidents_incident ON current_incidents (incident);
    `,
    postgres: `
      CREATE TABLE incident_edits (
        id         BIGSERIAL PRIMARY KEY,
        incident   BIGINT NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        field      TEXT NOT NULL,
        entry_id   BIGINT REFERENCES incident_timeline (id) ON DELETE CASCADE,
        old_value  TEXT,
        new_value  TEXT,
        author     TEXT NOT NULL,
        at         TEXT NOT NULL,
        CHECK ((field = 'entry') = (entry_id IS NOT NULL))
      );
      CREATE INDEX incident_edits_incident ON incident_edits (incident, id);

      CREATE TABLE current_incidents (
        repo     TEXT PRIMARY KEY,
        incident BIGINT NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
        set_by   TEXT NOT NULL,
        set_at   TEXT NOT NULL
      );
      CREATE INDEX current_incidents_incident ON current_incidents (incident);
    `,
  },
];
