/**
 * Which incident-response set-up suits a team, by the decision framework of the incident-response
 * guide: more than 10 engineers? more than 5 incidents a month? — lightweight, structured or
 * enterprise. A regulated team starts at structured at least: auditors ask for written
 * postmortems with action items and a formal error-budget policy. Pure: answers in, the choice and
 * its reasons out.
 */
export const PROFILES = ['lightweight', 'structured', 'enterprise'] as const;
export type Profile = (typeof PROFILES)[number];

export interface InitAnswers {
  teamSize: number;
  incidentsPerMonth: number;
  regulated: boolean;
}

export interface ProfileChoice {
  profile: Profile;
  /** Why, in the framework's words; one line each. */
  reasons: string[];
}

/** What a profile sets up: the on-call rotation, the postmortem rules, update cadence, SLOs. */
export interface ProfileSettings {
  /** How the guide describes it, for the header of ir.yaml. */
  summary: string[];
  /** People in the generated primary rotation when no names are given (never more than the team). */
  rotationSize: number;
  /** A secondary rotation, offset by half the rotation. */
  secondary: boolean;
  /** Postmortem owed at this severity or worse, or after this many minutes. */
  postmortemSeverity: 1 | 2 | 3;
  postmortemAfterMinutes: number;
  /** Stakeholder updates: due/overdue in minutes per severity. */
  updateCadence: Partial<Record<1 | 2 | 3, { due: number; overdue: number }>>;
  /** The SLOs to start from. */
  slos: { service: string; objective: number; description: string }[];
}

export const SETTINGS: Record<Profile, ProfileSettings> = {
  lightweight: {
    summary: [
      'Incident Command System optional: one person may command and fix.',
      'Informal on-call: a small weekly rotation so someone is named.',
      'A simple error budget (one 99.9 % target) and a basic postmortem for SEV-1s.',
    ],
    rotationSize: 5,
    secondary: false,
    postmortemSeverity: 1,
    postmortemAfterMinutes: 120,
    updateCadence: { 1: { due: 30, overdue: 45 } },
    slos: [{ service: 'api', objective: 99.9, description: 'Public API availability' }],
  },
  structured: {
    summary: [
      'Incident Command System for SEV-1 and SEV-2.',
      'A formal on-call rotation of 4–6 people, with a secondary.',
      'A formal error-budget policy; written postmortems with action items.',
    ],
    rotationSize: 5,
    secondary: true,
    postmortemSeverity: 2,
    postmortemAfterMinutes: 30,
    updateCadence: { 1: { due: 20, overdue: 30 }, 2: { due: 30, overdue: 45 } },
    slos: [
      { service: 'api', objective: 99.9, description: 'Public API availability' },
      { service: 'web', objective: 99.5, description: 'Web front end availability' },
    ],
  },
  enterprise: {
    summary: [
      'Incident Command System for every incident.',
      'An on-call rotation of 6–8 or more people, with a secondary.',
      'SLOs for each service; facilitated postmortems tracked by ir metrics; automated runbooks.',
    ],
    rotationSize: 8,
    secondary: true,
    postmortemSeverity: 3,
    postmortemAfterMinutes: 30,
    updateCadence: {
      1: { due: 15, overdue: 20 },
      2: { due: 20, overdue: 30 },
      3: { due: 60, overdue: 90 },
    },
    slos: [
      { service: 'api', objective: 99.95, description: 'Public API availability' },
      { service: 'web', objective: 99.9, description: 'Web front end availability' },
      { service: 'payments', objective: 99.99, description: 'Payment success' },
    ],
  },
};

export function chooseProfile(a: InitAnswers): ProfileChoice {
  const reasons: string[] = [];
  let profile: Profile;
  if (a.teamSize <= 10) {
    profile = 'lightweight';
    reasons.push(`${a.teamSize} engineers (10 or fewer): start lightweight`);
  } else if (a.incidentsPerMonth <= 5) {
    profile = 'structured';
    reasons.push(`${a.teamSize} engineers (more than 10) and ${a.incidentsPerMonth} incidents a month (5 or fewer)`);
  } else {
    profile = 'enterprise';
    reasons.push(`${a.teamSize} engineers (more than 10) and ${a.incidentsPerMonth} incidents a month (more than 5)`);
  }
  if (a.regulated && profile === 'lightweight') {
    profile = 'structured';
    reasons.push('regulated: auditors ask for written postmortems and a formal error-budget policy');
  }
  return { profile, reasons };
}
