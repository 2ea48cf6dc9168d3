"""Fixed catalogue of the demo company: departments, categories with their stages, channels, job templates, names."""

from __future__ import annotations

from typing import NamedTuple

COMPANY_ID = "10567"

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("101", "Engineering"),
    ("102", "Sales"),
    ("103", "Marketing"),
    ("104", "Customer Success"),
    ("105", "Operations"),
    ("106", "People"),
)

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("9001", "Technology"),
    ("9002", "Commercial"),
    ("9003", "Operations"),
    ("9004", "Internships"),
)

# Pipeline slots every category maps onto (absent slots are skipped by every application of the category).
SLOTS = ("new", "screening_a", "screening_b", "interviews_a", "interviews_b", "offer", "hired")
SLOT_RANK = (0, 1, 1, 2, 2, 3, 4)

# System stages carry no id; the normalised tables call them "system:<type>".
SYSTEM_TYPES = ("new", "offer", "hired", "rejected", "withdrawn", "talent pool")


class CustomStage(NamedTuple):
    """A custom stage of one category: id, name, standard type and the pipeline slot it fills (None: off-path)."""

    stage_id: str
    name: str
    type: str
    slot: str | None


# Per category: its custom stages. Slots without a custom stage use the system stage of that type (new, offer,
# hired) or are absent (screening_b, interviews_b).
CUSTOM_STAGES: dict[str, tuple[CustomStage, ...]] = {
    "9001": (
        CustomStage("300101", "CV review", "screening", "screening_a"),
        CustomStage("300102", "Phone screen", "screening", "screening_b"),
        CustomStage("300103", "Tech interview", "interviews", "interviews_a"),
        CustomStage("300104", "Team interview", "interviews", "interviews_b"),
        CustomStage("300105", "On hold", "other", None),
    ),
    "9002": (
        CustomStage("300201", "Phone screen", "screening", "screening_a"),
        CustomStage("300202", "Case study", "interviews", "interviews_a"),
        CustomStage("300203", "Final interview", "interviews", "interviews_b"),
        CustomStage("300204", "Offer call", "offer", "offer"),
    ),
    "9003": (
        CustomStage("300301", "Screening call", "screening", "screening_a"),
        CustomStage("300302", "Skills check", "screening", "screening_b"),
        CustomStage("300303", "Interview", "interviews", "interviews_a"),
        CustomStage("300304", "Reference check", "interviews", "interviews_b"),
        CustomStage("300305", "Assessment centre", "assessment", None),  # a type the funnel does not know
    ),
    "9004": (
        CustomStage("300401", "Application review", "screening", "screening_a"),
        CustomStage("300402", "Video interview", "interviews", "interviews_a"),
    ),
}
UNKNOWN_TYPE_STAGE = "300305"

# channel id, name; weights by category (Technology, Commercial, Operations, Internships); funnel step factors
# (new→screening, screening→interviews, interviews→offer, offer→hired).
CHANNELS: tuple[tuple[str, str], ...] = (
    ("7001", "Employee referral"),
    ("7002", "LinkedIn"),
    ("7003", "Indeed"),
    ("7004", "Company website"),
    ("7005", "StepStone"),
    ("7006", "Agency"),
    ("7007", "University fair"),
    ("7008", "Glassdoor"),
)
# Last column: no channel captured.
CHANNEL_WEIGHTS: dict[str, tuple[float, ...]] = {
    "9001": (6, 30, 12, 15, 8, 6, 2, 8, 6),
    "9002": (5, 25, 25, 12, 14, 3, 2, 7, 6),
    "9003": (5, 22, 22, 18, 14, 5, 1, 7, 6),
    "9004": (3, 15, 10, 12, 5, 0, 45, 4, 6),
}
CHANNEL_FACTORS: tuple[tuple[float, float, float, float], ...] = (
    (1.5, 1.5, 1.3, 1.15),  # referral: few applications, high hire rate
    (1.0, 1.0, 1.0, 1.0),  # LinkedIn: many, medium
    (0.7, 0.6, 0.7, 0.95),  # Indeed: many, low
    (1.1, 1.1, 1.0, 1.0),  # company website
    (0.85, 0.85, 0.9, 1.0),  # StepStone
    (1.5, 1.5, 1.7, 0.65),  # agency: high offer rate, more declined offers
    (1.0, 0.9, 0.9, 1.05),  # university fair
    (0.8, 0.8, 0.85, 1.0),  # Glassdoor
    (1.0, 1.0, 1.0, 1.0),  # unknown channel
)


class JobTemplate(NamedTuple):
    """One job of the catalogue: department id (None: missing), category, office, feed attributes, behaviour."""

    name: str
    department_id: str | None
    category_id: str
    office: str
    employment_type: str
    seniority: str
    schedule: str
    popularity: float
    kind: str  # normal | volume (re-posted as a new job every few months) | hard (no hire) | recent (created lately)
    postings: int = 1  # how many jobs (requisitions) of this template the demo company opens


# Jobs posted per volume template; the demo has exactly 40 jobs (templates + extra postings).
VOLUME_POSTINGS = 4


_T, _C, _O, _I = "9001", "9002", "9003", "9004"
JOB_TEMPLATES: tuple[JobTemplate, ...] = (
    JobTemplate("Backend Engineer", "101", _T, "Berlin", "permanent", "experienced", "full-time", 2.0, "normal"),
    JobTemplate("Frontend Engineer", "101", _T, "Berlin", "permanent", "experienced", "full-time", 1.6, "normal"),
    JobTemplate("Data Engineer", "101", _T, "Amsterdam", "permanent", "experienced", "full-time", 1.0, "normal"),
    JobTemplate("DevOps Engineer", "101", _T, "Remote", "permanent", "experienced", "full-time", 1.0, "normal"),
    JobTemplate("Engineering Manager", "101", _T, "Berlin", "permanent", "executive", "full-time", 0.7, "normal"),
    JobTemplate("QA Engineer", "101", _T, "Madrid", "permanent", "entry-level", "full-time", 1.1, "normal"),
    JobTemplate("Mobile Engineer", "101", _T, "Amsterdam", "permanent", "experienced", "full-time", 1.0, "recent"),
    JobTemplate("Data Scientist", "101", _T, "Munich", "permanent", "experienced", "full-time", 1.2, "normal"),
    JobTemplate("Security Engineer", "101", _T, "Remote", "permanent", "experienced", "full-time", 0.6, "hard"),
    JobTemplate("Product Designer", "101", _T, "Berlin", "permanent", "experienced", "full-time", 1.3, "normal"),
    JobTemplate("Account Executive DACH", "102", _C, "Munich", "permanent", "experienced", "full-time", 1.4, "normal"),
    JobTemplate("Account Executive Iberia", "102", _C, "Madrid", "permanent", "experienced", "full-time", 1.2, "normal"),
    JobTemplate("Sales Development Representative (Berlin)", "102", _C, "Berlin", "permanent", "entry-level", "full-time", 3.0,
                "volume", VOLUME_POSTINGS),
    JobTemplate("Sales Development Representative (Madrid)", "102", _C, "Madrid", "permanent", "entry-level", "full-time", 2.2,
                "normal"),
    JobTemplate("Enterprise Account Executive", "102", _C, "Amsterdam", "permanent", "executive", "full-time", 0.8,
                "normal"),
    JobTemplate("Partner Manager", "102", _C, "Remote", "permanent", "experienced", "full-time", 0.8, "recent"),
    JobTemplate("Content Marketing Manager", "103", _C, "Berlin", "permanent", "experienced", "full-time", 1.3, "normal"),
    JobTemplate("Product Marketing Manager", "103", _C, "Munich", "permanent", "experienced", "full-time", 0.9, "normal"),
    JobTemplate("Brand Designer", "103", _C, "Madrid", "freelance", "experienced", "part-time", 0.9, "normal"),
    JobTemplate("Customer Success Manager (Madrid)", "104", _C, "Madrid", "permanent", "experienced", "full-time", 1.8,
                "normal"),
    JobTemplate("Support Specialist", "104", _C, "Madrid", "permanent", "entry-level", "full-time", 2.5, "volume",
                VOLUME_POSTINGS),
    JobTemplate("Implementation Consultant", "104", _C, "Munich", "permanent", "experienced", "full-time", 1.0, "normal"),
    JobTemplate("Head of Customer Success", "104", _C, "Amsterdam", "permanent", "executive", "full-time", 0.5, "hard"),
    JobTemplate("Office Manager", "105", _O, "Berlin", "permanent", "experienced", "part-time", 1.2, "normal"),
    JobTemplate("Finance Manager", "105", _O, "Munich", "permanent", "experienced", "full-time", 0.8, "normal"),
    JobTemplate("Legal Counsel", "105", _O, "Munich", "permanent", "executive", "full-time", 0.5, "hard"),
    JobTemplate("Recruiter", "106", _O, "Berlin", "permanent", "experienced", "full-time", 1.1, "normal"),
    JobTemplate("HR Business Partner", "106", _O, "Munich", "permanent", "experienced", "full-time", 0.9, "normal"),
    JobTemplate("People Operations Specialist", "106", _O, "Madrid", "permanent", "entry-level", "full-time", 0.9,
                "recent"),
    JobTemplate("Software Engineering Intern", "101", _I, "Berlin", "intern", "student", "full-time", 1.5, "normal"),
    JobTemplate("Marketing Intern", "103", _I, "Amsterdam", "intern", "student", "full-time", 1.2, "normal"),
    JobTemplate("Sales Working Student", "102", _I, "Munich", "trainee", "student", "part-time", 1.0, "normal"),
    JobTemplate("People Intern", "106", _I, "Berlin", "intern", "student", "full-time", 0.8, "normal"),
    JobTemplate("Founders' Associate", None, _O, "Berlin", "permanent", "entry-level", "full-time", 0.8, "normal"),
)

RECRUITER = "Recruiter"
HIRING_MANAGER = "Hiring manager"
INTERVIEWER = "Interviewer"


class TeamMember(NamedTuple):
    """A hiring-team member of the demo: who, in which role, and how they differ from the average.

    load: relative share of jobs (recruiters); speed: dwell multiplier in the stages they own (recruiters:
    new, screening and offer, and by its square root interviews, which they schedule; hiring managers:
    interviews); conversion: pass multiplier on the steps they
    own (recruiters: new -> screening -> interviews; hiring managers: interviews -> offer);
    departments: the departments a hiring manager hires for."""

    person_id: str
    role: str
    load: float = 1.0
    speed: float = 1.0
    conversion: float = 1.0
    departments: tuple[str, ...] = ()


RECRUITERS: tuple[TeamMember, ...] = (
    TeamMember("56789", RECRUITER, load=3.2, speed=2.2, conversion=0.85),  # overloaded: a third of the jobs, slow
    TeamMember("56790", RECRUITER, load=1.3, speed=0.5, conversion=1.1),  # fast
    TeamMember("56791", RECRUITER, load=1.0),
    TeamMember("56792", RECRUITER, load=1.0, speed=1.15, conversion=0.8),  # lets few through to interviews
    TeamMember("56793", RECRUITER, load=0.8, speed=0.9),
    TeamMember("56794", RECRUITER, load=0.6, conversion=1.3),  # sourcer: few jobs, sharp shortlists
)
HIRING_MANAGERS: tuple[TeamMember, ...] = (
    TeamMember("67890", HIRING_MANAGER, speed=0.7, departments=("101",)),
    TeamMember("67891", HIRING_MANAGER, speed=2.6, conversion=0.8, departments=("101",)),  # slow to decide
    TeamMember("67892", HIRING_MANAGER, departments=("101",)),
    TeamMember("67893", HIRING_MANAGER, conversion=1.2, departments=("102",)),
    TeamMember("67894", HIRING_MANAGER, speed=1.3, departments=("102",)),
    TeamMember("67895", HIRING_MANAGER, departments=("103",)),
    TeamMember("67896", HIRING_MANAGER, speed=0.8, departments=("104",)),
    TeamMember("67897", HIRING_MANAGER, conversion=0.85, departments=("104",)),
    TeamMember("67898", HIRING_MANAGER, speed=1.2, departments=("105", "")),
    TeamMember("67899", HIRING_MANAGER, conversion=1.15, departments=("106",)),
)
INTERVIEWERS: tuple[str, ...] = ("78901", "78902")
OWN_TEAM_SHARE = 0.05  # applications handled by another recruiter than their job's (their own hiring team)

# First names with the gender the fake reports; email-safe spellings of both name lists.
FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Anna", "FEMALE"), ("Lukas", "MALE"), ("Sofia", "FEMALE"), ("Jonas", "MALE"), ("Lea", "FEMALE"),
    ("Finn", "MALE"), ("Marie", "FEMALE"), ("Leon", "MALE"), ("Emma", "FEMALE"), ("Paul", "MALE"),
    ("Lucía", "FEMALE"), ("Javier", "MALE"), ("Carmen", "FEMALE"), ("Diego", "MALE"), ("Elena", "FEMALE"),
    ("Pablo", "MALE"), ("Sanne", "FEMALE"), ("Daan", "MALE"), ("Femke", "FEMALE"), ("Bram", "MALE"),
    ("Aisha", "FEMALE"), ("Omar", "MALE"), ("Priya", "FEMALE"), ("Arjun", "MALE"), ("Chloé", "FEMALE"),
    ("Mateo", "MALE"), ("Zoe", "FEMALE"), ("Noah", "MALE"), ("Alex", "DIVERSE"), ("Kim", "UNDEFINED"),
    ("Yuki", "FEMALE"), ("Mehmet", "MALE"), ("Olga", "FEMALE"), ("Tomasz", "MALE"), ("Ines", "FEMALE"),
    ("Jan", "MALE"),
)
LAST_NAMES: tuple[str, ...] = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch",
    "García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "de Vries", "Jansen", "van Dijk", "Bakker",
    "Visser", "Smit", "Kowalski", "Nowak", "Yılmaz", "Kaya", "Rossi", "Bianchi", "Dubois", "Martin",
    "Patel", "Khan", "Nguyen", "Tanaka", "Silva", "Costa", "O'Brien", "Murphy", "Andersen", "Larsen",
)
CANDIDATE_CITIES: tuple[str, ...] = (
    "Berlin", "Munich", "Hamburg", "Cologne", "Madrid", "Barcelona", "Valencia", "Amsterdam", "Rotterdam",
    "Utrecht", "Vienna", "Zurich", "Lisbon", "Warsaw", "Paris", "London",
)
