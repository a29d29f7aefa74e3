"""The words of CSV headers: which field a column's name means (in English, French, German,
Spanish, Italian, Dutch and Portuguese, as CRMs, address books and spreadsheets write them), which of
several phone or email columns comes first, and what a CRM's status or stage column says about a
prospect. Pure tables and a normaliser: csv_columns applies them, csv_table asks `known` to find the
header row below a file's preamble.
"""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.lru_cache(maxsize=4096)  # a big file asks for the same few labels on every row
def norm(header: str) -> str:
    """'E-mail 1 - Value' → 'emailvalue': no case, accents, digits, spaces or punctuation."""
    text = unicodedata.normalize("NFKD", header.casefold())
    return "".join(ch for ch in text if ch.isalpha() and not unicodedata.combining(ch))


def _aliases(target: str, *names: str) -> dict[str, str]:
    return {norm(name): target for name in names}


# Header names (normalised) → target. STRONG names win over WEAK ones whatever the column order
# (Outlook's "Title" is "Mr." or "Dr." when "Job Title" is there too); among equals, the first
# column wins ("Phone" over a later "Mobile"), except for MANY targets, which take them all.
STRONG = {
    **_aliases(
        "name",
        "Name", "Full Name", "Contact Name", "Display Name", "Person - Name", "Lead Name", "Contact Full Name",
        "Nom complet", "Vollständiger Name", "Nombre completo", "Nome completo", "Volledige naam", "Naam",
    ),
    **_aliases(
        "first_name",
        "First Name", "Given Name", "First", "Forename",
        "Prénom", "Vorname", "Nombre", "Nome", "Primeiro nome", "Voornaam",
    ),
    **_aliases(
        "last_name",
        "Last Name", "Family Name", "Surname", "Last",
        # French Outlook writes the surname as "Nom"; Portugal's "Apelido" is the surname too
        "Nom", "Nom de famille", "Nachname", "Familienname", "Apellido", "Apellidos", "Cognome",
        "Sobrenome", "Apelido", "Último nome", "Achternaam",
    ),
    **_aliases(
        "company",
        "Company", "Company Name", "Organization", "Organisation", "Organization Name", "Organisation Name",
        "Organization - Name", "Organization 1 - Name", "Account", "Account Name", "Org Name", "Employer",
        "Business Name", "Société", "Entreprise", "Organisme", "Firma", "Unternehmen", "Organisation",
        "Empresa", "Compañía", "Organización", "Azienda", "Società", "Organizzazione", "Bedrijf",
        "Organisatie", "Bedrijfsnaam", "Organização", "Companhia",
    ),
    **_aliases(
        "title",
        "Job Title", "Organization Title", "Organization 1 - Title", "Position", "Job Position", "Role", "Job Role",
        "Designation", "Person - Job title", "Fonction", "Poste", "Titre du poste", "Berufsbezeichnung",
        "Cargo", "Puesto", "Posizione", "Qualifica", "Ruolo", "Functie", "Functietitel", "Função",
    ),
    **_aliases(
        "email",
        "Email", "E-mail", "Email Address", "E-mail Address", "Mail", "E-mail 1 - Value", "Email 1 - Value",
        "Work Email", "Business Email", "Primary Email", "Secondary Email", "Person - Email", "Email Home",
        "Email Work", "Email Other", "Home Email", "Other Email", "Personal Email", "E-mail 2 Address",
        "E-mail 3 Address", "Courriel", "Adresse e-mail", "Adresse de messagerie", "E-Mail-Adresse",
        "E-Mail-Adresse 2", "E-Mail 2: Adresse", "Correo electrónico", "Correo", "Dirección de correo electrónico",
        "Posta elettronica", "Indirizzo e-mail", "E-mailadres", "Endereço de e-mail", "Correio eletrónico",
    ),
    **_aliases(
        "phone",
        "Phone", "Phone Number", "Telephone", "Tel", "Mobile", "Mobile Phone", "Mobile Phone Number",
        "Mobile Number", "Cell", "Cell Phone", "Business Phone", "Business Phone 2", "Work Phone", "Primary Phone",
        "Home Phone", "Home Phone 2", "Other Phone", "Direct Phone", "Office Phone", "Phone 1 - Value",
        "Phone 2 - Value", "Person - Phone", "Company Main Phone",
        "Téléphone", "Portable", "Téléphone bureau", "Téléphone professionnel", "Tél. bureau",
        "Téléphone mobile", "Tél. mobile", "Téléphone domicile", "Tél. domicile", "Autre téléphone",
        "Téléphone (autre)", "Téléphone principal", "Téléphone société",
        "Telefon", "Telefon geschäftlich", "Telefon (geschäftlich)", "Mobiltelefon", "Handy", "Telefon privat",
        "Weiteres Telefon", "Telefon Firma", "Haupttelefon", "Teléfono", "Teléfono del trabajo", "Teléfono móvil", "Móvil", "Celular",
        "Teléfono particular", "Telefono", "Telefono ufficio", "Cellulare", "Telefono abitazione",
        "Telefoon", "Telefoon werk", "Mobiel", "Mobiele telefoon", "Telefoon thuis",
        "Telefone", "Telefone comercial", "Telemóvel", "Telefone residencial",
    ),
    **_aliases(
        "deal_value",
        "Deal Value", "Amount", "Deal Amount", "Opportunity Amount", "Expected Revenue", "Deal - Value",
        "Montant", "Betrag", "Importe", "Importo", "Bedrag", "Valor",
    ),
    **_aliases(
        "next_due",
        "Next Follow-up", "Next Follow-up Date", "Follow-up Date", "Follow Up Date", "Followup", "Due Date",
        "Next Activity Date", "Deal - Next activity date", "Person - Next activity date", "Next Step Date",
        "Next Contact Date", "Reminder Date", "Relance", "Date de relance", "Wiedervorlage",
    ),
    **_aliases(
        "notes",
        "Notes", "Note", "Description", "Comments", "Comment", "Remarks", "Person - Notes", "Background Info",
        "Remarques", "Commentaire", "Notizen", "Bemerkungen", "Notas", "Observaciones", "Observações",
        "Notities", "Opmerkingen",
    ),
    **_aliases("source", "Source", "Lead Source", "Original Source", "Contact Source", "Origin", "Person - Source"),
    **_aliases("preferred_channel", "Preferred Channel", "Preferred Contact Method", "Contact Method", "Preferred Contact"),
    **_aliases("best_time", "Best Time", "Best Time to Call", "Best Time to Reach", "Best Time to Contact"),
    **_aliases("timezone", "Time Zone", "Timezone", "TZ"),
    **_aliases(
        "status",
        # HubSpot, Salesforce (opportunities, leads), Pipedrive deals, our own export
        "Lifecycle Stage", "Stage", "Status", "Deal - Status", "Opportunity Stage", "Statut", "Fase",
    ),
}
WEAK = {
    **_aliases("name", "Contact", "Person", "Customer", "Customer Name"),
    **_aliases("company", "Associated Company", "Org"),
    # Outlook's "Title" is "Mr." or "Dr."; French Outlook has two "Titre" columns, the courtesy
    # title first and the job title after the company (LAST_WINS)
    **_aliases("title", "Title", "Titre", "Titel"),
    # Pipedrive's open stages (its "Status" says won or lost); HubSpot's lead status (its lifecycle
    # stage says customer)
    **_aliases("status", "Deal - Stage", "Lead Status"),
}
# Prefixes of a person's own columns ("Person - Email", "Contact Email"), tried when the whole
# name is unknown; an organization's or a deal's prefix is spelled out in the tables instead.
PERSON_PREFIXES = ("person", "contact", "lead", "primarycontact", "customer")

# Weak targets whose last column wins when several share it (French Outlook's second "Titre").
LAST_WINS = ("title",)

# Targets several columns may fill (Outlook has Business, Home, Mobile and Other phones): the first
# non-empty by PREFERENCE is kept, the others go to the notes with their column's name.
MANY = ("phone", "email")

# Which of several columns a rep wants first. Phones: the work line or the plain "Phone" (what a
# business contact gives for business, the number a CRM keeps first), then the mobile (theirs,
# wherever they are), then any other, then home (their private life: last). Emails alike: work or
# plain, then other, then private. Among equal ranks the first column wins.
_SECOND = ("mobile", "cell", "portable", "handy", "mobil", "movil", "celular", "cellulare", "mobiel", "telemovel")
_THIRD = ("other", "secondary", "autre", "weitere", "otro", "altro", "overig", "outro", "assistant", "car", "callback")
_LAST = ("home", "personal", "private", "domicile", "privat", "particular", "abitazione", "thuis", "residencial")


_NEVER = ("fax", "telecopie", "pager", "telex")  # a fax or pager number is not one to call: after all


@functools.lru_cache(maxsize=4096)
def preference(header: str) -> int:
    """0 first … 4 last, by a column's name or its label ("Mobile", "* Work")."""
    key = norm(header)
    for rank, words in ((4, _NEVER), (3, _LAST), (2, _THIRD), (1, _SECOND)):
        if any(word in key for word in words):
            return rank
    return 0


_VALUE = re.compile(r"(.+?)\s*-\s*value", re.IGNORECASE)


def label_columns(headers: list[str]) -> dict[int, int]:
    """Google's pairs: "Phone 1 - Value" → the column of "Phone 1 - Label" (or "- Type"), whose
    cell says which phone it is ("Mobile", "* Work": the star marks the primary one)."""
    index = {header.strip().casefold(): i for i, header in enumerate(headers)}
    pairs = {}
    for i, header in enumerate(headers):
        if m := _VALUE.fullmatch(header.strip()):
            for kind in ("label", "type"):
                if (found := index.get(f"{m[1]} - {kind}".casefold())) is not None:
                    pairs[i] = found
                    break
    return pairs


# A status or stage cell → the book's status; anything else (an open stage, "Proposal made",
# "NEW", "Qualification") is a prospect still followed up. Normalised as headers are.
_WON = ("won", "closedwon", "customer", "evangelist", "gagne", "gewonnen", "ganado", "vinto", "ganho", "klant", "client")
_LOST = (
    "lost", "closedlost", "unqualified", "closednotconverted", "deleted", "perdu", "verloren", "perdido", "perso",
    "nonqualifie", "disqualified", "notqualified", "lostlead", "junklead",  # the last three: Zoho's lead statuses
)
STATUS_WORDS = {**dict.fromkeys(_WON, "won"), **dict.fromkeys(_LOST, "dropped"), "active": "active", "dropped": "dropped"}


def status_of(cell: str) -> str:
    """'Closed Won' → won, 'Closed Lost' → dropped, anything else → active."""
    return STATUS_WORDS.get(norm(cell), "active")


def target_of(header: str) -> tuple[str | None, int]:
    """(target, strength: 0 strong, 1 weak) of one header, or (None, 2) for a name we do not know."""
    key = norm(header)
    candidates = [key] + [key[len(p):] for p in PERSON_PREFIXES if key.startswith(p) and len(key) > len(p)]
    for strength, table in enumerate((STRONG, WEAK)):
        for candidate in candidates:
            if candidate in table:
                return table[candidate], strength
    return None, 2


def known(header: str) -> bool:
    """A column name we read (to tell a header row from the notes some exports put above it)."""
    return target_of(header)[0] is not None
