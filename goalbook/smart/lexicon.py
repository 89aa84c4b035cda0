"""The words the SMART validator knows, each tagged with what it signals.

One table, built once at import: ``TAGS[word]`` is a bit set of the flags below, so the scanners
classify a token with a single dictionary look-up. Verbs are listed by their base form and expanded
to their inflections here, so a list stays readable and ``cutting`` / ``halved`` are still found.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

# --- tag bits ----------------------------------------------------------------------------------
MONTH = 1 << 0
SEASON = 1 << 1
UNIT = 1 << 2  # a unit of time: day, week, month, quarter, year ...
REL = 1 << 3  # this, next, last ...
NUMWORD = 1 << 4  # one ... billion
FRACTION = 1 << 5  # half, third, quarter, fifth ...
MULT = 1 << 6  # double, triple, halve, twice
QUANT = 1 << 7  # all, every, each, zero, no, none, both
VAGUE = 1 << 8  # significantly, thousands, best-in-class ...
INC = 1 << 9
DEC = 1 << 10
MAINT = 1 << 11
ACH = 1 << 12  # deliver, launch, reach, hire ... (an absolute level, count or deliverable)
IMPROVE = 1 << 13  # improve, enhance, optimise: a change with no direction
HEDGE = 1 << 14  # explore, support, ensure ... and other verbs that commit to no change
BE = 1 << 15  # be, become, make, have
ABSTRACT = 1 << 16
GENERIC = 1 << 17  # product, system, strategy ... (unnamed when only "a new" qualifies it)
VAGUE_ADJ = 1 << 18
FUNC = 1 << 19  # function words
PREP = 1 << 20
ITEM = 1 << 21  # tickets, calls, invoices: things handled one by one within an SLA
HANDLE = 1 << 22  # respond, resolve, process ...
LABEL = 1 << 23  # grade, level, scope, phase ... a number after it is a name
EVENT = 1 << 24
PERITEM = 1 << 25  # signing, referral, discharge: events that happen per item
BAD = 1 << 26  # a metric that is good when low
PLAN = 1 << 27  # vision, agenda, strategy: "Vision 2030" is a name
RATE = 1 << 28  # monthly, annual, weekly ...
LEVEL = 1 << 29  # certification, rating, neutral ... a defined level
PLACEHOLDER = 1 << 30
AIM = 1 << 31  # verbs that take a defined level as their aim
DIR_UP = 1 << 32  # nouns: increase, growth, rise
DIR_DOWN = 1 << 33  # nouns: reduction, decrease, cut
CURRENCY = 1 << 34
MAGNITUDE = 1 << 35
PERCENT = 1 << 36
ORDINAL = 1 << 37
SUBORD = 1 << 38  # while, whilst, without: what follows is a constraint, not the aim
COMPARE = 1 << 39  # vs, versus, compared, relative, against, since

VERB = INC | DEC | MAINT | ACH | IMPROVE | HEDGE | BE

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
#: month words that are also ordinary English words and need a date context ("we may", "march on")
AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar", "jan", "sep", "dec", "jun", "jul", "aug", "oct", "nov", "apr"})
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}

#: unit word -> (unit, amount): months for month-like units, days otherwise
UNITS: dict[str, tuple[str, int]] = {}
for _words, _unit, _n in (
    (("day", "days"), "day", 1), (("week", "weeks", "wk", "wks"), "day", 7),
    (("fortnight", "fortnights"), "day", 14),
    (("weekday", "weekdays", "workday", "workdays", "night", "nights", "morning", "mornings", "evening", "evenings"),
     "day", 1),
    (("month", "months", "mo", "mos"), "month", 1),
    (("quarter", "quarters"), "month", 3), (("year", "years", "yr", "yrs"), "month", 12),
    (("decade", "decades"), "month", 120),
    (("hour", "hours", "hr", "hrs"), "hour", 1), (("minute", "minutes", "min", "mins"), "hour", 0),
    (("second", "seconds", "sec", "secs", "ms"), "hour", 0), (("annum",), "month", 12),
):
    for _w in _words:
        UNITS[_w] = (_unit, _n)

NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "dozen": 12,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "dozen": 12}
FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25,
             "fifth": 0.2, "fifths": 0.2, "tenth": 0.1, "tenths": 0.1}
MULTS = {"double": 2.0, "doubled": 2.0, "doubles": 2.0, "doubling": 2.0, "triple": 3.0, "tripled": 3.0,
         "triples": 3.0, "tripling": 3.0, "quadruple": 4.0, "quadrupled": 4.0, "quadrupling": 4.0,
         "halve": 0.5, "halved": 0.5, "halves": 0.5, "halving": 0.5, "twice": 2.0, "twofold": 2.0,
         "threefold": 3.0, "fourfold": 4.0, "fivefold": 5.0, "tenfold": 10.0}
MAGNITUDES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "million": 1e6, "millions": 1e6,
              "b": 1e9, "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12, "lakh": 1e5, "crore": 1e7}
CURRENCIES = {"$": "$", "€": "€", "£": "£", "¥": "¥", "₹": "₹", "usd": "USD", "eur": "EUR", "gbp": "GBP",
              "aud": "AUD", "cad": "CAD", "chf": "CHF", "inr": "INR", "jpy": "JPY", "dollars": "$",
              "dollar": "$", "euros": "€", "euro": "€", "pounds": "£", "sterling": "£"}


def spelled_value(words: list[str]) -> float:
    """Value of a spelled number: ["twenty", "five"] → 25, ["one", "hundred", "twenty"] → 120."""
    total = current = 0.0
    for x in words:
        v = NUMBERS[x]
        if x == "hundred" or x == "dozen":
            current = (current or 1) * v
        elif x in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * v
            current = 0.0
        else:
            current += v
    return total + current


ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "last": 4, "final": 4}


def _inflect(verb: str) -> set[str]:
    """The usual inflections of a regular English verb (good enough for matching, not for writing)."""
    out = {verb}
    if verb.endswith("e"):
        out |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        out |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        out |= {verb + "es", verb + "ed", verb + "ing"}
    else:
        out |= {verb + "s", verb + "ed", verb + "ing"}
    return out


_DOUBLING = {"cap": "capp", "cut": "cutt", "shed": "shedd", "swim": "swimm", "audit": "audit",
             "ship": "shipp", "plan": "plann", "drop": "dropp", "hit": "hitt", "get": "gett",
             "win": "winn", "run": "runn", "set": "sett", "slash": "slash", "trim": "trimm", "stop": "stopp",
             "map": "mapp", "top": "topp", "scrap": "scrapp", "commit": "committ", "admit": "admitt",
             "equip": "equipp", "submit": "submitt", "pin": "pinn", "put": "putt", "begin": "beginn"}
_IRREGULAR = {
    "grow": {"grew", "grown"}, "lose": {"lost"}, "shed": {"shed"}, "read": {"read"}, "swim": {"swam", "swum"},
    "buy": {"bought"}, "cut": {"cut"}, "hit": {"hit"}, "get": {"got", "gotten"}, "win": {"won"},
    "run": {"ran"}, "build": {"built"}, "sell": {"sold"}, "hold": {"held"}, "keep": {"kept"},
    "bring": {"brought"}, "make": {"made"}, "take": {"took", "taken"}, "see": {"saw", "seen"},
    "lead": {"led"}, "spend": {"spent"}, "send": {"sent"}, "become": {"became"}, "pay": {"paid"},
    "rise": {"rose", "risen"}, "drive": {"drove", "driven"}, "set": {"set"}, "put": {"put"},
    "begin": {"began", "begun"}, "have": {"has", "had", "having"}, "be": {"is", "are", "was", "were", "been",
                                                                        "being", "am"},
    "understand": {"understood"}, "seek": {"sought"}, "teach": {"taught"}, "shrink": {"shrank", "shrunk"},
    "find": {"found"}, "feed": {"fed"}, "meet": {"met"}, "lay": {"laid"}, "write": {"wrote", "written"},
}


#: past participles and finite forms a subject can take ("emissions *fell*", "nightlies *published*")
FINITE_FORMS = frozenset(w for forms in _IRREGULAR.values() for w in forms) - {"cut", "set", "put", "hit", "read",
                                                                              "shed"}


def _forms(verbs: str) -> set[str]:
    out: set[str] = set()
    for v in verbs.split():
        out |= _inflect(v)
        if v in _DOUBLING:
            stem = _DOUBLING[v]
            out |= {stem + "ing", stem + "ed"}
        out |= _IRREGULAR.get(v, set())
    return out


def _words(text: str) -> set[str]:
    return set(text.split())


TAGS: dict[str, int] = {}


def _tag(words: set[str] | dict | str, flag: int) -> None:
    if isinstance(words, str):
        words = _words(words)
    for w in words:
        TAGS[w] = TAGS.get(w, 0) | flag


_tag(set(MONTHS), MONTH)
_tag(set(SEASONS), SEASON)
_tag(set(UNITS), UNIT)
_tag("this current next coming following last previous prior same", REL)
_tag(set(NUMBERS), NUMWORD)
_tag(set(FRACTIONS), FRACTION)
_tag(set(MULTS), MULT)
_tag(set(MAGNITUDES) - {"m", "b", "k"}, MAGNITUDE)
_tag({w for w in CURRENCIES if w.isalpha()}, CURRENCY)
_tag("percent pct percentage percentages", PERCENT)
_tag(set(ORDINALS), ORDINAL)
_tag("all every each zero no none both another", QUANT)
_tag("while whilst without", SUBORD)
_tag("vs versus compared relative against since than", COMPARE)

_tag("""significantly substantially greatly dramatically considerably markedly meaningfully noticeably
     massively hugely vastly radically sharply steadily materially drastically thousands hundreds millions
     billions dozens lots many several numerous multiple various more fewer less higher lower better faster
     bigger greater larger smaller stronger best world-class meaningful significant substantial considerable
     maximum maximise maximize minimise minimize optimal optimum further continuous continually
     continuously much excellent top-tier market-leading industry-leading sector-leading adequate
     sufficient""", VAGUE)

_tag(_forms("""increase raise grow boost lift expand double triple quadruple add accelerate scale extend enlarge
            multiply augment climb rise uplift widen save maximise maximize gain"""), INC)
_tag(_forms("""reduce cut decrease lower halve shorten eliminate slash trim curb lessen shrink drop decline
            narrow compress eradicate remove prevent avoid end fall lose shed minimise minimize decarbonise
            decarbonize mitigate shave diminish downsize"""), DEC)
_tag(_forms("""keep maintain hold sustain stay remain preserve protect safeguard continue halt stabilise stabilize
            cap limit"""),
     MAINT)
_tag(_forms("""achieve reach hit attain obtain deliver launch ship release publish complete finish open build
            create develop design implement introduce establish set roll deploy migrate install plant hire
            recruit train onboard enrol enroll register sign secure win close sell generate produce serve
            provide distribute vaccinate treat see answer respond resolve process pay send contact host run
            organise organize conduct certify pass rehouse refurbish retrofit replace upgrade digitise
            digitize automate convert acquire collect allocate finalise finalize approve adopt get
            offer activate welcome attract retain fix submit prepare draft write rebuild connect equip
            restore rewild recycle insulate renovate gain earn receive dispatch handle triage acknowledge
            reply bring start reopen relaunch redesign go perform mentor coach teach employ
            accredit execute hire rank land update document agree define map integrate consolidate standardise
            standardize pilot test trial revise refresh audit formalise formalize retire decommission merge
            transition switch centralise centralize outline specify ratify enact use buy purchase procure turn
            finish submit donate fund visit attend read study exercise walk swim practise learn commence
            envision envisage"""), ACH)

#: verbs of intent that open a personal goal and hand over to the verb after "to": "I want to lose
#: 5 kg", "I'd like to save", "I am going to walk"; they are openers, not hedges
INTENT = frozenset(_forms("want need like love plan intend aim hope wish decide expect pledge promise commit")
                   | {"going", "gonna", "learn", "learning", "expected", "due", "set", "scheduled", "planned"})
_tag(_forms("improve enhance optimise optimize better refine"), IMPROVE)
_tag(_forms("""explore consider engage strive support understand ensure strengthen foster promote encourage
            empower help enable facilitate assist work look investigate examine study evaluate aim seek try
            attempt endeavour endeavor hope want intend champion advocate prioritise prioritize focus tackle
            address embrace nurture cultivate inspire delight celebrate drive lead shape unlock leverage
            harness embed deepen broaden advance modernise modernize streamline transform elevate reimagine
            revolutionise revolutionize position commit contribute participate partner collaborate align
            communicate coordinate monitor track oversee influence strive review assess research explore
            enrich innovate thrive excel amplify highlight showcase invest educate"""), HEDGE)
_tag(_forms("be become make have"), BE)
_tag({"will", "shall"}, FUNC)

_tag("""access satisfaction happiness wellbeing well-being engagement culture quality experience experiences
     performance awareness excellence innovation efficiency effectiveness productivity collaboration
     communication communications presence reputation capability capabilities capacity resilience
     sustainability visibility morale trust loyalty growth success impact value outcomes outcome
     relationships relationship partnerships partnership alignment agility health diversity inclusion equity
     belonging transparency accountability ownership leadership talent knowledge understanding confidence
     motivation positioning brand image profile community communities environment wellness safety security
     compliance standards processes operations infrastructure service services support delivery results
     needs options position vision mission goals teamwork climate change opportunities
     opportunity potential standing voice identity connection connections cohesion ability abilities
     competitiveness business organisation organization lives life world future society relations risk risks
     exposure resilience
     practice practices governance inclusivity accessibility flexibility skills excellence journey
     stakeholders""", ABSTRACT)
_tag("""product tool system platform solution process programme program initiative plan strategy approach
     framework service feature way project capability offering model method policy thing things something
     stuff idea ideas opportunity scheme mechanism language skill hobby habit instrument""", GENERIC)
_tag("""new better improved innovative modern robust comprehensive effective efficient streamlined enhanced
     great good strong key major additional more various several some exciting best world-class cutting-edge
     next-generation fresh novel bold ambitious clear simple smart scalable integrated holistic unified
     own another next future successful appropriate suitable relevant flawless critical quick positive seamless
     world-leading excellent outstanding superior optimal""", VAGUE_ADJ)
#: states a person or team can be in with no measure: "stay healthy", "get fit", "be happier"
STATES = frozenset({"healthy", "healthier", "fit", "fitter", "happy", "happier", "strong", "stronger", "organised",
                    "organized", "productive", "active", "confident", "successful", "better", "great", "good",
                    "motivated", "focused", "calm", "rested"})
_tag("""a an the this that these those our my your their its his her we us i you they it he she them me him will shall
     would should can could might must do does did to of in on at by for with from into onto as per via
     and or but nor so which who whom whose what where when how any such not also just only very both
     there here then than while whilst if each every all no some own up out off make sure""", FUNC)
_tag("""of in on at by for with from into to across over under through throughout within between among
     amongst during before after until till than via per against versus vs towards toward around about
     above below beyond including except like upon onto while whilst using so and or but that which who
     where when whose among compared relative despite""", PREP)

_tag("""ticket tickets call calls complaint complaints request requests enquiry enquiries inquiry inquiries
     query queries invoice invoices bill bills order orders claim claims application applications referral
     referrals case cases incident incidents email emails message messages letter letters patient patients
     bug bugs defect defects issue issues alert alerts vulnerability vulnerabilities repair repairs
     appointment appointments delivery deliveries shipment shipments payment payments refund refunds
     submission submissions grievance grievances appeal appeals lead leads quote quotes cv cvs task tasks
     prescription prescriptions sample samples record records starter starters hire hires foi requests
     visitors customers callers cases""", ITEM)
_tag(_forms("""respond reply answer acknowledge resolve triage process handle pay close fix see treat assess
            review approve decide contact return dispatch send investigate action book follow issue
            complete onboard"""), HANDLE)
_tag("""grade level stage scope line category cat class tier phase type priority sev severity iso soc wcag
     sdg article section clause chapter part item rule version release series round wave cohort route
     ward room floor building zone terminal gate form band pillar gen generation web windows ios android
     covid model step unit district division box lot plot page figure table stage team group sprint kr okr
     objective goal pt pts milestone""", LABEL)
_tag("""launch launches launching go-live golive release rollout roll-out opening opens election elections
     midterms mid-terms agm meeting conference summit inspection review survey renewal merger acquisition
     christmas holidays holiday thanksgiving easter olympics games freshers kickoff kick-off handover
     completion cutover parliament term semester season campaign appeal festival event deadline budget
     ipo pilot project programme program contract trial tender audit expo fair show exhibition
     graduation ceremony reopening relaunch congress assembly convention life lifetime gala dinner ball
     marathon race concert tournament championships premiere exam exams finals anniversary centenary
     jubilee census recess""", EVENT)
_tag("""signing signature referral receipt request application submission registration admission arrival
     discharge diagnosis graduation enrolment enrollment joining hire hiring purchase order booking report
     notification contact call complaint incident breach detection leaving approval acceptance award
     reporting logging starting start entry entering release referral identification""", PERITEM)
_tag("""time times wait waiting latency delay delays churn attrition turnover cost costs spend spending expense
     expenses error errors defect defects incident incidents complaint complaints emission emissions waste
     downtime absence absences absenteeism injury injuries accident accidents backlog bounce returns
     abandonment fraud loss losses debt arrears vacancy vacancies readmission readmissions mortality deaths
     poverty crime overdue carbon co2 footprint no-show no-shows dna fatalities escapes failures failure
     outages outage tickets queue queues gap gaps inequality inequalities violence infections infection
     malnutrition obesity smoking homelessness overtime dso mttr lead-time cycle breaches breach risk
     risks exposure variance shrinkage leakage bugs vulnerabilities handicap spill spills leak leaks
     outstanding waits stockout stockouts rework pollution litter congestion collision collisions casualties
     suicide suicides reoffending truancy exclusions dropout dropouts lateness burnout anxiety pain cholesterol
     bmi mttd""", BAD)
_tag("vision agenda strategy horizon roadmap pledge compact framework mission programme plan", PLAN)
_tag("""monthly weekly daily annual annually quarterly yearly biannual biannually hourly fortnightly
     biweekly semiannual semi-annual pa p.a""", RATE)
_tag("""certification certified accreditation accredited rating rated status neutral neutrality compliant
     award gold silver bronze platinum outstanding grade standard mark kitemark charter compliance
     balanced breakeven parity""", LEVEL)
_tag("x y n z xx xxx nn tbd tbc tba", PLACEHOLDER)
_tag(_forms("""achieve attain obtain reach gain earn secure get become be retain maintain keep hold remain
            receive win pass award rate grade certify stay envision envisage"""), AIM)
_tag("""increase increases growth rise rises uplift gain gains boost expansion improvement improvements""",
     DIR_UP)
_tag("""reduction reductions decrease decreases cut cuts decline fall drop""", DIR_DOWN)

#: words that start a clause: a quantity after them belongs to another aim
CLAUSE_BREAKS = frozenset({";", ".", "!", "?", "while", "whilst", "without", "but", "whereas"})
#: the verbs in a time window that make it a per-item service level ("respond within 4 hours")
SLA_VERBS = frozenset(_forms("respond reply answer acknowledge resolve triage process"))
#: one-off events: "within 12 months of launch" is a deadline relative to an event
ONE_OFF_EVENTS = frozenset({"launch", "go-live", "golive", "opening", "merger", "acquisition", "kickoff", "kick-off",
                            "handover", "rollout", "roll-out", "cutover", "completion", "award"})

#: the word classes a stem carries over to inflected forms the lists above do not spell out
#: ("recruiting", "latencies", "decarbonising"); function words, numbers and dates are never
#: guessed. Only inflections are read this way, never derivations ("participation" is not a verb),
#: so a stem is learnt from a listed base form only (the stem is the word less at most 3 letters),
#: and looked up for a word with an inflectional ending only.
STEM_FLAGS = INC | DEC | MAINT | ACH | IMPROVE | HEDGE | BAD | ABSTRACT | DIR_UP | DIR_DOWN | GENERIC
_STEMMER = snowballstemmer.stemmer("english")
_INFLECTED = ("s", "ed", "ing")
_NOT_INFLECTED = ("ss", "us", "is", "ous")
STEM_TAGS: dict[str, int] = {}
for _w, _t in TAGS.items():
    if _t & STEM_FLAGS and _w.isalpha() and len(_w) > 3:
        _s = _STEMMER.stemWord(_w)
        if len(_w) - len(_s) <= 3:
            STEM_TAGS[_s] = STEM_TAGS.get(_s, 0) | (_t & STEM_FLAGS)


@lru_cache(maxsize=1 << 16)
def tags_of(word: str) -> int:
    """The tags of ``word``: from the lists above, else, for an inflected form, from its Snowball
    (Porter 2) stem."""
    t = TAGS.get(word)
    if t is not None:
        return t
    if len(word) < 5 or not word.isalpha() or not word.endswith(_INFLECTED) or word.endswith(_NOT_INFLECTED):
        return 0
    return STEM_TAGS.get(_STEMMER.stemWord(word), 0)
