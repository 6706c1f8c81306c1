//! The types that cross HTTP between the reference backend and the client, in one place so
//! they cannot drift. Amounts are kopecks, areas hundredths of a square metre, times
//! RFC 3339 strings, dates `YYYY-MM-DD`, periods `YYYY-MM`.

use serde::{Deserialize, Serialize};

use crate::role::Role;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// An error answer: a stable code a program can branch on and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code, e.g. `not_member`, `rate_limited`.
    pub code: String,
    /// What was wrong and what to do, for a person.
    pub message: String,
}

/// The kinds of entity the change feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A house and its passport.
    House,
    /// A house chat or microdistrict channel.
    Community,
    /// The person's membership of a community.
    Membership,
    /// The person's ownership or tenancy of a premises.
    Ownership,
    /// A chat message.
    Message,
    /// A ticket with its status history.
    Ticket,
    /// A metering device.
    Device,
    /// A meter reading.
    Reading,
    /// A personal account.
    Account,
    /// A unified payment document.
    Bill,
    /// An outage or information notice.
    Notice,
    /// A capital-repair plan item.
    RepairPlan,
}

impl ChangeKind {
    /// Every kind, in the order a first sync wants them.
    pub const ALL: [ChangeKind; 12] = [
        ChangeKind::House,
        ChangeKind::Community,
        ChangeKind::Membership,
        ChangeKind::Ownership,
        ChangeKind::Account,
        ChangeKind::Device,
        ChangeKind::Reading,
        ChangeKind::Bill,
        ChangeKind::Notice,
        ChangeKind::RepairPlan,
        ChangeKind::Ticket,
        ChangeKind::Message,
    ];

    /// The kind's stable name, as stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::House => "house",
            ChangeKind::Community => "community",
            ChangeKind::Membership => "membership",
            ChangeKind::Ownership => "ownership",
            ChangeKind::Message => "message",
            ChangeKind::Ticket => "ticket",
            ChangeKind::Device => "device",
            ChangeKind::Reading => "reading",
            ChangeKind::Account => "account",
            ChangeKind::Bill => "bill",
            ChangeKind::Notice => "notice",
            ChangeKind::RepairPlan => "repair_plan",
        }
    }

    /// Parses a stored kind name.
    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether a change brings an entity's new state or says it is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// `data` is the entity's whole current state.
    Upsert,
    /// The entity is gone for this reader; `data` holds only its id.
    Delete,
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Change {
    /// Position in the server's change log; strictly increasing within a page.
    pub seq: i64,
    /// What kind of entity changed.
    pub kind: ChangeKind,
    /// Upsert or delete.
    pub op: ChangeOp,
    /// The entity's id within its kind.
    pub id: i64,
    /// The entity (see the kind's type) or, for a delete, `{"id": …}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
}

impl Change {
    /// Reads `data` as the entity type of this kind (straight from the parsed value: a
    /// first sync reads a hundred thousand of these, and copying each first costs).
    pub fn entity<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.data)
    }
}

/// A page of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChangesPage {
    /// The changes after the requested cursor that the caller may see, in order.
    pub changes: Vec<Change>,
    /// The cursor to ask from next time; store it with the applied changes.
    pub cursor: i64,
    /// Whether more changes wait after `cursor`.
    pub has_more: bool,
    /// The newest seq in the server's log, for progress reports.
    pub head: i64,
}

/// The close code of a push stream whose access token expired or whose session ended:
/// the client renews its token and opens the stream again (no sign of being offline).
pub const STREAM_CLOSE_REAUTHENTICATE: u16 = 4001;

/// What the push stream sends: there are changes up to `seq` to fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushEvent {
    /// Sent on connect: the newest change the server holds.
    Hello {
        /// The newest seq in the log.
        head: i64,
    },
    /// A change the person may see was committed at `seq`.
    Changed {
        /// The seq of that change.
        seq: i64,
    },
}

/// A management organisation as shown with its houses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Org {
    /// Registry id.
    pub id: i64,
    /// Full name.
    pub name: String,
    /// `uk`, `tszh`, `zhsk` or `temporary`.
    pub kind: String,
    /// 13-digit primary state registration number.
    pub ogrn: String,
    /// 10-digit taxpayer number.
    pub inn: String,
    /// Tax registration reason code.
    pub kpp: String,
    /// Office address.
    pub address: String,
    /// Office phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Working hours as published.
    pub working_hours: String,
    /// Emergency dispatch (АДС) phone.
    pub dispatch_phone: String,
    /// Bank details for payments.
    pub bank_details: String,
}

/// An entrance of a house.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Entrance {
    /// Entrance number.
    pub number: i64,
    /// Storeys served.
    pub storeys: i64,
}

/// A lift of a house.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Lift {
    /// Registry id.
    pub id: i64,
    /// Entrance it serves.
    pub entrance: i64,
    /// Factory number.
    pub factory_number: String,
    /// `passenger` or `freight`.
    pub kind: String,
    /// Year installed.
    pub year_installed: i64,
}

/// A house with its digital passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct House {
    /// Registry id.
    pub id: i64,
    /// Postal address.
    pub address: String,
    /// City district.
    pub district: String,
    /// FIAS house GUID: the stable address id.
    pub fias_guid: String,
    /// ГИС ЖКХ house GUID.
    pub gis_guid: String,
    /// ГИС ЖКХ unique number.
    pub gis_number: String,
    /// OKTMO code.
    pub oktmo: String,
    /// IANA time zone.
    pub timezone: String,
    /// Total area, hundredths of m².
    pub total_area: i64,
    /// Year put into use.
    pub year_built: i64,
    /// Floors above ground.
    pub floors: i64,
    /// Floors below ground.
    pub underground_floors: i64,
    /// `good`, `dilapidated` or `emergency`.
    pub state: String,
    /// `uk`, `tszh`, `zhsk` or `direct`.
    pub management_type: String,
    /// Whether the house is a cultural-heritage site.
    pub heritage: bool,
    /// `regional_operator` or `special_account`.
    pub repair_fund: String,
    /// Number of flats.
    pub flats: i64,
    /// The residential complex, if any.
    pub complex: Option<String>,
    /// First day of the month readings are accepted.
    pub window_from: i64,
    /// Last day of the month readings are accepted.
    pub window_to: i64,
    /// The official chat, for a house with 16 or more flats.
    pub community_id: Option<i64>,
    /// Entrances.
    pub entrances: Vec<Entrance>,
    /// Lifts.
    pub lifts: Vec<Lift>,
    /// The managing organisation; none under direct management.
    pub org: Option<Org>,
    /// Start of the current management period.
    pub managed_since: Option<String>,
}

/// A premises of a house.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Premises {
    /// Registry id.
    pub id: i64,
    /// Flat or premises number.
    pub number: String,
    /// `flat` or `nonresidential`.
    pub kind: String,
    /// Entrance.
    pub entrance: i64,
    /// Floor.
    pub floor: i64,
    /// Total area, hundredths of m².
    pub total_area: i64,
    /// Living area, hundredths of m².
    pub living_area: i64,
}

/// A community: an official house chat or a microdistrict channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Community {
    /// Id.
    pub id: i64,
    /// `house_chat` or `microdistrict`.
    pub kind: String,
    /// The house of a house chat.
    pub house_id: Option<i64>,
    /// Title.
    pub title: String,
    /// Always `inspection`: the Inspection owns every community.
    pub owner: String,
    /// The organisation holding admin rights.
    pub admin_org_id: Option<i64>,
    /// `granted` or `pending`.
    pub admin_status: String,
    /// Created at.
    pub created_at: String,
    /// The houses the community covers.
    pub house_ids: Vec<i64>,
}

/// A person's membership of a community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Membership {
    /// Id.
    pub id: i64,
    /// Community.
    pub community_id: i64,
    /// Person.
    pub person_id: i64,
    /// Role in the community.
    pub role: Role,
    /// Joined at.
    pub joined_at: String,
    /// Left at (a delete change follows).
    pub left_at: Option<String>,
}

/// A person's ownership or tenancy of a premises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ownership {
    /// Id.
    pub id: i64,
    /// Person.
    pub person_id: i64,
    /// Premises.
    pub premises_id: i64,
    /// House of the premises.
    pub house_id: i64,
    /// Flat number.
    pub premises_number: String,
    /// `owner` or `tenant`.
    pub relation: String,
    /// Share numerator.
    pub share_num: i64,
    /// Share denominator.
    pub share_den: i64,
    /// Since.
    pub since: String,
    /// Until, when ended.
    pub until: Option<String>,
}

/// The author of a message as shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Author {
    /// Person id.
    pub id: i64,
    /// Name as shown.
    pub name: String,
    /// Flat number in the chat's house, if any.
    pub flat: Option<String>,
    /// Role in the community.
    pub role: Role,
}

/// A chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Message {
    /// Server id; increases with time within a community.
    pub id: i64,
    /// Community.
    pub community_id: i64,
    /// Author.
    pub author: Author,
    /// The idempotency key the sending client made.
    pub client_key: String,
    /// Plain text (never HTML); empty once deleted.
    pub body: String,
    /// The message replied to.
    pub reply_to: Option<i64>,
    /// Created at.
    pub created_at: String,
    /// Last edited at.
    pub edited_at: Option<String>,
    /// Deleted at.
    pub deleted_at: Option<String>,
}

/// A page of chat history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MessagesPage {
    /// Messages with ids below `before`, newest first.
    pub messages: Vec<Message>,
    /// Whether older messages remain.
    pub has_more: bool,
}

/// A new message to send. Unknown fields are refused. The schema states the rules of
/// [`crate::message::validate_message_body`] for the body, and a hyphenated UUID for the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// A UUID the client made for this message; sending it again stores nothing new.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    )]
    pub client_key: String,
    /// Plain text, 1 to 4000 characters, with some that are not white space.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::body_schema))]
    pub body: String,
    /// The message this one replies to, in the same chat.
    #[serde(default, deserialize_with = "crate::json::optional_integer")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub reply_to: Option<i64>,
}

/// A new text for one's own message. Unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditMessage {
    /// Plain text, 1 to 4000 characters, with some that are not white space.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::message::body_schema))]
    pub body: String,
}

/// One status change of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TicketEvent {
    /// New status.
    pub status: String,
    /// Who changed it.
    pub actor_id: i64,
    /// Their name.
    pub actor_name: String,
    /// When.
    pub at: String,
    /// Comment.
    pub note: String,
}

/// A ticket (заявка).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Ticket {
    /// Id.
    pub id: i64,
    /// House.
    pub house_id: i64,
    /// Flat, if the ticket is about one.
    pub premises_number: Option<String>,
    /// Author.
    pub author_id: i64,
    /// Author's name.
    pub author_name: String,
    /// Category (see `ticket::Category`).
    pub category: String,
    /// Whether it is an emergency.
    pub emergency: bool,
    /// Title.
    pub title: String,
    /// Description.
    pub body: String,
    /// Status (see `ticket::Status`).
    pub status: String,
    /// Registered at.
    pub created_at: String,
    /// Must be resolved by.
    pub deadline_at: String,
    /// Last change.
    pub updated_at: String,
    /// Every status change, oldest first.
    pub history: Vec<TicketEvent>,
}

/// A metering device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Device {
    /// Id.
    pub id: i64,
    /// House.
    pub house_id: i64,
    /// Premises (none for a collective meter).
    pub premises_id: Option<i64>,
    /// Serial number.
    pub serial: String,
    /// Model.
    pub model: String,
    /// `cold_water`, `hot_water`, `electricity`, `heating` or `gas`.
    pub resource: String,
    /// `apartment`, `collective` or `room`.
    pub kind: String,
    /// Tariff zones: 1, 2 or 3.
    pub zones: i64,
    /// Installed on.
    pub installed_on: String,
    /// Commissioned on; none if not commissioned.
    pub commissioned_on: Option<String>,
    /// Last verification.
    pub verified_on: String,
    /// Verification interval, years.
    pub verification_years: i64,
    /// Seal number.
    pub seal: String,
    /// The device that replaced this one.
    pub replaced_by: Option<i64>,
}

/// A meter reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Reading {
    /// Id.
    pub id: i64,
    /// Device.
    pub device_id: i64,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Date taken.
    pub taken_on: String,
    /// Zone T1 (or the only zone), decimal.
    pub t1: String,
    /// Zone T2.
    pub t2: Option<String>,
    /// Zone T3.
    pub t3: Option<String>,
    /// `resident`, `organisation` or `remote`.
    pub source: String,
    /// Entered at.
    pub entered_at: String,
}

/// A personal account (лицевой счёт).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Account {
    /// Id.
    pub id: i64,
    /// Account number.
    pub number: String,
    /// Unified account number (ЕЛС), 10 characters.
    pub els: String,
    /// Premises.
    pub premises_id: i64,
    /// House.
    pub house_id: i64,
    /// Flat number.
    pub premises_number: String,
    /// Persons registered.
    pub persons_registered: i64,
    /// Total area, hundredths of m².
    pub total_area: i64,
    /// Living area, hundredths of m².
    pub living_area: i64,
}

/// One service line of a bill (ЕПД section 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChargeLine {
    /// Service.
    pub service: String,
    /// Unit.
    pub unit: String,
    /// Individual volume, decimal.
    pub volume: String,
    /// How the individual volume was found: `meter`, `average`, `norm`, `area` or `none`.
    pub volume_method: String,
    /// Common-property (ОДН) volume, decimal.
    pub common_volume: String,
    /// How the common volume was found.
    pub common_method: String,
    /// Rate, kopecks per unit.
    pub rate: i64,
    /// Accrued, kopecks.
    pub accrued: i64,
    /// Recalculation, kopecks (signed).
    pub recalculation: i64,
    /// Discount, kopecks.
    pub discount: i64,
    /// Multiplying factor, decimal.
    pub factor: String,
    /// Payable, kopecks.
    pub payable: i64,
}

/// An instalment (ЕПД section 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Instalment {
    /// Service.
    pub service: String,
    /// Amount due this period, kopecks.
    pub amount: i64,
    /// Interest, kopecks.
    pub interest: i64,
    /// Remaining, kopecks.
    pub remaining: i64,
}

/// A recalculation with its reason (ЕПД section 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Recalculation {
    /// Service.
    pub service: String,
    /// Reason.
    pub reason: String,
    /// Amount, kopecks; negative lowers the bill.
    pub amount: i64,
}

/// A unified payment document (ЕПД) for one account and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Bill {
    /// Id.
    pub id: i64,
    /// Account.
    pub account_id: i64,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Issued on.
    pub issued_on: String,
    /// Section 1: payer, address, account, ЕЛС, persons registered, areas.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payer: serde_json::Value,
    /// Section 1: the provider with bank details.
    pub provider: Option<Org>,
    /// Section 2: meter readings used, one per metered device.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<BillReading>))]
    pub readings: serde_json::Value,
    /// Section 3: charges per service.
    pub charges: Vec<ChargeLine>,
    /// Section 4: reference information (tariff components, norms).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub reference: serde_json::Value,
    /// Section 5: instalments.
    pub instalments: Vec<Instalment>,
    /// Section 6: recalculations.
    pub recalculations: Vec<Recalculation>,
    /// Debt (positive) or advance (negative) from earlier periods, kopecks.
    pub debt: i64,
    /// Paid during the period, kopecks.
    pub paid: i64,
    /// Penalties (пени), kopecks.
    pub penalties: i64,
    /// Total payable, kopecks.
    pub total: i64,
}

/// A meter reading as a bill lists it (ЕПД section 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BillReading {
    /// The device's serial number.
    pub serial: String,
    /// `cold_water`, `hot_water`, `electricity`, `heating` or `gas`.
    pub resource: String,
    /// Period, `YYYY-MM`.
    pub period: String,
    /// Zone T1 (or the only zone), decimal.
    pub t1: String,
    /// Zone T2, for a two-zone meter.
    pub t2: Option<String>,
}

/// An outage or information notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Notice {
    /// Id.
    pub id: i64,
    /// The house this copy is for (a notice covering many houses comes once per house).
    pub house_id: i64,
    /// `outage` or `info`.
    pub kind: String,
    /// `pause`, `limitation` or `suspension`.
    pub outage_type: Option<String>,
    /// ГИС ЖКХ service code 1–7.
    pub service: Option<i64>,
    /// Title.
    pub title: String,
    /// Reason.
    pub reason: String,
    /// Starts at.
    pub starts_at: Option<String>,
    /// Ends at.
    pub ends_at: Option<String>,
    /// Publishing organisation.
    pub org_id: Option<i64>,
    /// Created at.
    pub created_at: String,
    /// How many houses it affects.
    pub house_count: i64,
}

/// A capital-repair plan item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RepairPlan {
    /// Id.
    pub id: i64,
    /// House.
    pub house_id: i64,
    /// Work.
    pub work: String,
    /// First year.
    pub year_from: i64,
    /// Last year.
    pub year_to: i64,
    /// `planned`, `in_progress`, `done` or `postponed`.
    pub status: String,
}

/// The city's figures, computed from the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CityStats {
    /// Apartment buildings.
    pub houses: i64,
    /// Houses by kind of management.
    pub houses_by_management: ByManagement,
    /// Organisations managing at least one house, by kind.
    pub management_orgs: OrgCounts,
    /// Official house chats.
    pub official_chats: i64,
    /// Chats whose managing organisation holds admin rights.
    pub chats_with_admin: i64,
    /// Chats whose admin rights are pending.
    pub chats_admin_pending: i64,
    /// Share of house-chat members (verified owners and tenants) who joined, 0–1.
    pub members_joined_share: f64,
}

/// Houses by kind of management.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ByManagement {
    /// Managed by a management company.
    pub uk: i64,
    /// Managed by a ТСЖ or ЖСК.
    pub tszh_zhsk: i64,
    /// Directly managed by the owners.
    pub direct: i64,
}

/// Organisations by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OrgCounts {
    /// Management companies.
    pub uk: i64,
    /// ТСЖ and ЖСК.
    pub tszh_zhsk: i64,
}

/// A person as the sign-in knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PersonInfo {
    /// Registry id.
    pub id: i64,
    /// Opaque ESIA-style id.
    pub oid: String,
    /// Full name.
    pub name: String,
    /// Whether the account is verified (only verified accounts use house chats).
    pub trusted: bool,
    /// `dispatcher` or `inspector` for staff.
    pub staff_role: Option<String>,
}

/// A house chat the person may join: ownership is confirmed, not joined yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChatOffer {
    /// The community to join.
    pub community_id: i64,
    /// Its title.
    pub title: String,
    /// Its house.
    pub house_id: i64,
    /// The house's address.
    pub address: String,
}

/// Who the caller is, and what they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    /// The person.
    pub person: PersonInfo,
    /// Houses the person may see.
    pub house_ids: Vec<i64>,
    /// Communities the person belongs to.
    pub community_ids: Vec<i64>,
    /// House chats offered to join.
    pub offers: Vec<ChatOffer>,
}

/// Tokens from the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenResponse {
    /// Bearer token for API calls; short-lived.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// One-time refresh token; presenting a used one revokes the whole family.
    pub refresh_token: String,
    /// The signed-in person.
    pub person: PersonInfo,
}

/// A demo person of the reference backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DemoPerson {
    /// Stable short id, e.g. `resident`.
    pub key: String,
    /// Full name.
    pub name: String,
    /// What this person can do.
    pub description: String,
}
