package org.treatmentledger.api.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Media;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
import org.treatmentledger.core.api.PhotoImage;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.SideEffectReported;
import org.treatmentledger.core.api.SideEffectResolved;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.history.HistoryView;
import org.treatmentledger.projections.ledger.Cycles;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A patient's ledger as FHIR R4 resources (docs/FHIR.md): pure, from the history read model's view (current content
 * of every entry, voided flags, corrections and overrides, who recorded what and when) and the integrity log's seals.
 * Cycles are derived as every read model derives them ({@link Cycles}), so they agree with the unit history.
 */
public final class LedgerFhirMapping {

    /** Where an entry's event sits in the tamper-evident log: its leaf and the signed checkpoint that covers it. */
    public record Seal(long leafIndex, long treeSize, String rootHashBase64, String origin) { }

    private static final ObjectMapper JSON = LedgerJson.objectMapper();
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private final ZoneId zone;

    /** {@code zone}: the clinic policy's zone, in which cycles are derived (as the read models derive them). */
    public LedgerFhirMapping(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone);
    }

    /** The patient's resources in a Bundle of type collection, each entry with its fullUrl under {@link FhirCodes#BASE}. */
    public Bundle bundle(HistoryView history, Map<String, Seal> seals, Instant timestamp) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.setTimestamp(Date.from(timestamp));
        bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986")
                .setValue("urn:uuid:" + UUID.randomUUID()));
        for (Resource resource : resources(history, seals)) {
            bundle.addEntry().setFullUrl(FhirCodes.BASE + "/" + resource.fhirType() + "/" + resource.getIdPart())
                    .setResource(resource);
        }
        return bundle;
    }

    /** The patient's resources: Patient first, then each entry's resources in the history's order, Provenance last. */
    public List<Resource> resources(HistoryView history, Map<String, Seal> seals) {
        return new Build(history, seals == null ? Map.of() : seals).run();
    }

    /** One mapping run over one history. */
    private final class Build {
        private final HistoryView history;
        private final Map<String, Seal> seals;
        private final String patientId;
        private final Reference patientRef;
        private final List<Resource> resources = new ArrayList<>();
        private final List<Provenance> provenances = new ArrayList<>();
        /** Each entry's resources, for the Provenance of its corrections. */
        private final Map<String, List<Resource>> byEntry = new HashMap<>();
        private final Map<String, Resource> visitByEntry = new HashMap<>();
        private final Map<String, AdverseEvent> bySideEffect = new LinkedHashMap<>();

        Build(HistoryView history, Map<String, Seal> seals) {
            this.history = history;
            this.seals = seals;
            this.patientId = id(history.patientId());
            this.patientRef = new Reference("Patient/" + patientId);
        }

        List<Resource> run() {
            // Decoded once: the derived cycle numbers are looked up by identity of these very objects.
            Map<String, ClinicalEntry> decoded = new HashMap<>();
            List<ClinicalEntry> effective = new ArrayList<>();
            for (HistoryView.Entry e : history.entries()) {
                if (e.type().isCorrectable() && e.details() != null) {
                    ClinicalEntry entry = decode(e, ClinicalEntry.class);
                    decoded.put(e.entryId(), entry);
                    if (!Boolean.TRUE.equals(e.voided())) effective.add(entry);
                }
            }
            Cycles cycles = Cycles.of(effective, zone);

            List<HistoryView.Entry> resolutions = new ArrayList<>();
            List<HistoryView.Entry> corrections = new ArrayList<>();
            for (HistoryView.Entry e : history.entries()) {
                boolean voided = Boolean.TRUE.equals(e.voided());
                List<Resource> made = switch (e.type()) {
                    case REGISTRATION -> List.of(patient(e));
                    case INJECTION, TOUCH_UP -> dose(e, decoded.get(e.entryId()), voided, cycles);
                    case LASER_SESSION -> laser(e, (LaserSessionRecorded) decoded.get(e.entryId()), voided);
                    case PHOTO_CHECKPOINT -> media(e, (PhotoCheckpointRecorded) decoded.get(e.entryId()), voided);
                    case SIDE_EFFECT_REPORTED -> adverseEvent(e, (SideEffectReported) decoded.get(e.entryId()), voided);
                    case CYCLE_FACTOR -> cycleFactor(e, (CycleFactorReported) decoded.get(e.entryId()), voided);
                    case MOVEMENT_RETURN -> movementReturn(e, (MovementReturnObserved) decoded.get(e.entryId()), voided);
                    case SIDE_EFFECT_RESOLVED -> {
                        resolutions.add(e);
                        yield List.of();
                    }
                    case CORRECTION -> {
                        corrections.add(e);
                        yield List.of();
                    }
                    case OVERRIDE -> List.of(); // shown on the entry it allowed
                    case ERASURE -> List.of(); // the personal fields already read as null: nothing identifying to map
                };
                resources.addAll(made);
                if (!made.isEmpty()) {
                    byEntry.put(e.entryId(), made);
                    provenances.add(provenance(e, made, "CREATE", "create"));
                }
            }
            for (HistoryView.Entry e : resolutions) resolution(e, (SideEffectResolved) decoded.get(e.entryId()));
            for (HistoryView.Entry e : corrections) correction(e);
            resources.addAll(provenances);
            return resources;
        }

        private <T> T decode(HistoryView.Entry e, Class<T> type) {
            ObjectNode node = ((ObjectNode) e.details()).deepCopy();
            node.put("patientId", history.patientId());
            node.put("entryId", e.entryId());
            node.put("occurredAt", e.occurredAt().toString());
            if (type == ClinicalEntry.class) node.put("entryType", e.type().name());
            try {
                return JSON.treeToValue(node, type);
            } catch (Exception ex) {
                throw new IllegalStateException("entry " + e.entryId() + " of type " + e.type() + " does not read as "
                        + type.getSimpleName(), ex);
            }
        }

        // ---- Patient ------------------------------------------------------------------------------------

        private Patient patient(HistoryView.Entry e) {
            PatientRegistered r = decode(e, PatientRegistered.class);
            Patient p = new Patient();
            p.setId(patientId);
            p.addIdentifier().setSystem(FhirCodes.PATIENT_ID).setValue(history.patientId());
            if (r.sex() != null) {
                p.setGender(switch (r.sex()) {
                    case FEMALE -> Enumerations.AdministrativeGender.FEMALE;
                    case MALE -> Enumerations.AdministrativeGender.MALE;
                    case OTHER -> Enumerations.AdministrativeGender.OTHER;
                });
            }
            if (r.birthYear() != null) {
                p.setBirthDateElement(new DateType(String.format("%04d", r.birthYear())));
            }
            if (r.clinicId() != null) {
                p.setManagingOrganization(new Reference().setType("Organization")
                        .setIdentifier(new Identifier().setSystem(FhirCodes.CLINIC_ID).setValue(r.clinicId()))
                        .setDisplay(r.clinicId()));
            }
            return p;
        }

        // ---- Injections and touch-ups ------------------------------------------------------------------

        private List<Resource> dose(HistoryView.Entry e, ClinicalEntry entry, boolean voided, Cycles cycles) {
            boolean touchUp = entry instanceof TouchUpRecorded;
            Product product;
            Lot lot;
            Indication indication;
            List<SiteDose> sites;
            BigDecimal dilution;
            String injector;
            if (entry instanceof InjectionRecorded i) {
                product = i.product();
                lot = i.lot();
                indication = i.indication();
                sites = i.sites();
                dilution = i.dilutionMlPer100U();
                injector = i.injector();
            } else {
                TouchUpRecorded t = (TouchUpRecorded) entry;
                product = t.product();
                lot = t.lot();
                indication = t.indication();
                sites = t.sites();
                dilution = t.dilutionMlPer100U();
                injector = t.injector();
            }
            int cycle = voided ? 0 : cycles.numberOf(entry);
            String performer = injector != null ? injector : e.recordedBy();

            Procedure visit = new Procedure();
            visit.setId(id(e.entryId()));
            visit.addIdentifier(entryIdentifier(e.entryId()));
            visit.setStatus(voided ? Procedure.ProcedureStatus.ENTEREDINERROR : Procedure.ProcedureStatus.COMPLETED);
            visit.setCode(FhirCodes.concept(FhirCodes.ENTRY, e.type()));
            visit.setCategory(FhirCodes.concept(FhirCodes.DOSE_CATEGORY, touchUp ? "TOUCH_UP" : "INITIAL",
                    touchUp ? "touch-up" : "initial (cycle-opening) injection"));
            visit.setSubject(patientRef);
            visit.setPerformed(dateTime(e.occurredAt()));
            if (performer != null) visit.addPerformer().setActor(user(performer));
            if (indication != null) visit.addReasonCode(FhirCodes.concept(FhirCodes.INDICATION, indication));
            if (entry instanceof InjectionRecorded i && i.intent() != null) {
                visit.addExtension(new Extension(FhirCodes.EXT_DOSE_INTENT, FhirCodes.concept(FhirCodes.DOSE_INTENT, i.intent())));
            }
            if (cycle > 0) visit.addExtension(new Extension(FhirCodes.EXT_CYCLE, new IntegerType(cycle)));

            List<Resource> made = new ArrayList<>();
            made.add(visit);
            visitByEntry.put(e.entryId(), visit);
            int n = 0;
            for (SiteDose dose : sites) {
                n++;
                MedicationAdministration ma = new MedicationAdministration();
                ma.setId(id(e.entryId() + "-" + n));
                ma.addIdentifier(entryIdentifier(e.entryId()));
                ma.setStatus(voided ? MedicationAdministration.MedicationAdministrationStatus.ENTEREDINERROR
                        : MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
                ma.setCategory(visit.getCategory().copy());
                Medication medication = new Medication();
                medication.setId("product");
                if (product != null) medication.setCode(FhirCodes.concept(FhirCodes.PRODUCT, product.name(),
                        FhirCodes.productDisplay(product)));
                if (lot != null) {
                    Medication.MedicationBatchComponent batch = medication.getBatch();
                    if (lot.number() != null) batch.setLotNumber(lot.number());
                    if (lot.expiresOn() != null) batch.setExpirationDateElement(new DateTimeType(lot.expiresOn().toString()));
                }
                ma.addContained(medication);
                ma.setMedication(new Reference("#product"));
                ma.setSubject(patientRef);
                ma.setEffective(dateTime(e.occurredAt()));
                ma.addPartOf(new Reference("Procedure/" + visit.getIdPart()));
                if (performer != null) ma.addPerformer().setActor(user(performer));
                if (indication != null) ma.addReasonCode(FhirCodes.concept(FhirCodes.INDICATION, indication));
                if (cycle > 0) ma.addExtension(new Extension(FhirCodes.EXT_CYCLE, new IntegerType(cycle)));
                MedicationAdministration.MedicationAdministrationDosageComponent dosage = ma.getDosage();
                if (dose.site() != null) dosage.setSite(FhirCodes.concept(FhirCodes.SITE, dose.site()));
                if (dose.units() != null && product != null) {
                    dosage.setDose(units(dose.units().value(), product));
                }
                if (dilution != null) dosage.addExtension(new Extension(FhirCodes.EXT_DILUTION, new DecimalType(dilution)));
                dosage.setText(dosageText(dose, product));
                made.add(ma);
            }
            return made;
        }

        private String dosageText(SiteDose dose, Product product) {
            String units = dose.units() == null ? "?" : dose.units().value().toPlainString();
            String site = dose.site() == null ? "an unrecorded site" : FhirCodes.words(dose.site());
            return units + " " + (product == null ? "U" : FhirCodes.unitDisplay(product)) + " to " + site;
        }

        // ---- Laser sessions ----------------------------------------------------------------------------

        private List<Resource> laser(HistoryView.Entry e, LaserSessionRecorded l, boolean voided) {
            Procedure p = new Procedure();
            p.setId(id(e.entryId()));
            p.addIdentifier(entryIdentifier(e.entryId()));
            p.setStatus(voided ? Procedure.ProcedureStatus.ENTEREDINERROR : Procedure.ProcedureStatus.COMPLETED);
            p.setCode(FhirCodes.concept(FhirCodes.ENTRY, EntryType.LASER_SESSION));
            p.setSubject(patientRef);
            p.setPerformed(dateTime(e.occurredAt()));
            String operator = l.operator() != null ? l.operator() : e.recordedBy();
            if (operator != null) p.addPerformer().setActor(user(operator));
            if (l.deviceClass() != null) p.addUsedCode(FhirCodes.concept(FhirCodes.DEVICE_CLASS, l.deviceClass()));
            if (l.deviceModel() != null || l.deviceClass() != null) {
                Device device = new Device();
                device.setId("device");
                if (l.deviceClass() != null) device.setType(FhirCodes.concept(FhirCodes.DEVICE_CLASS, l.deviceClass()));
                if (l.deviceModel() != null) {
                    device.addDeviceName().setName(l.deviceModel()).setType(Device.DeviceNameType.MODELNAME);
                }
                p.addContained(device);
                p.addUsedReference(new Reference("#device"));
            }
            for (var zone : l.zones()) p.addBodySite(FhirCodes.concept(FhirCodes.ZONE, zone));
            if (l.seriesId() != null) {
                Extension series = new Extension(FhirCodes.EXT_LASER_SERIES);
                series.addExtension("id", new StringType(l.seriesId()));
                if (l.seriesPlannedSessions() != null) {
                    series.addExtension("plannedSessions", new IntegerType(l.seriesPlannedSessions()));
                }
                p.addExtension(series);
            }
            List<Resource> made = new ArrayList<>();
            made.add(p);
            visitByEntry.put(e.entryId(), p);

            Observation settings = new Observation();
            if (l.passes() != null) setting(settings, "PASSES", "passes").setValue(new IntegerType(l.passes()));
            if (l.densityPercent() != null) setting(settings, "DENSITY", "density")
                    .setValue(ucum(l.densityPercent(), "%", "%"));
            if (l.energyMj() != null) setting(settings, "ENERGY", "energy").setValue(ucum(l.energyMj(), "mJ", "mJ"));
            if (l.fluenceJPerCm2() != null) setting(settings, "FLUENCE", "fluence")
                    .setValue(ucum(l.fluenceJPerCm2(), "J/cm2", "J/cm2"));
            if (l.wavelengthNm() != null) setting(settings, "WAVELENGTH", "wavelength")
                    .setValue(ucum(BigDecimal.valueOf(l.wavelengthNm()), "nm", "nm"));
            if (settings.hasComponent()) {
                settings.setId(id(e.entryId() + "-settings"));
                settings.addIdentifier(entryIdentifier(e.entryId()));
                settings.setStatus(voided ? Observation.ObservationStatus.ENTEREDINERROR
                        : Observation.ObservationStatus.FINAL);
                settings.addCategory(FhirCodes.concept(FhirCodes.OBSERVATION_CATEGORY, "procedure", "Procedure"));
                settings.setCode(FhirCodes.concept(FhirCodes.LASER_SETTING, "SETTINGS", "laser settings"));
                settings.setSubject(patientRef);
                settings.setEffective(dateTime(e.occurredAt()));
                settings.addPartOf(new Reference("Procedure/" + p.getIdPart()));
                made.add(settings);
            }
            return made;
        }

        private Observation.ObservationComponentComponent setting(Observation o, String code, String display) {
            return o.addComponent().setCode(FhirCodes.concept(FhirCodes.LASER_SETTING, code, display));
        }

        // ---- Photos ------------------------------------------------------------------------------------

        private List<Resource> media(HistoryView.Entry e, PhotoCheckpointRecorded photo, boolean voided) {
            List<Resource> made = new ArrayList<>();
            int n = 0;
            for (PhotoImage image : photo.images()) {
                n++;
                Media m = new Media();
                m.setId(id(e.entryId() + "-" + n));
                m.addIdentifier(entryIdentifier(e.entryId()));
                m.setStatus(voided ? Media.MediaStatus.ENTEREDINERROR : Media.MediaStatus.COMPLETED);
                m.setType(FhirCodes.concept(FhirCodes.MEDIA_TYPE, "image", "Image"));
                if (photo.kind() != null) m.addReasonCode(FhirCodes.concept(FhirCodes.CHECKPOINT, photo.kind()));
                if (image.view() != null) m.setView(new CodeableConcept().setText(image.view()));
                m.setSubject(patientRef);
                m.setCreated(dateTime(e.occurredAt()));
                Attachment content = new Attachment();
                if (image.uri() != null) content.setUrl(image.uri());
                if (image.view() != null) content.setTitle(image.view());
                byte[] sha256 = sha256(image.sha256());
                if (sha256 != null) {
                    // R4 defines Attachment.hash as SHA-1; the ledger anchors images by SHA-256 (docs/FHIR.md), so the
                    // extension names the algorithm and a reader never takes these bytes for a SHA-1.
                    content.setHashElement(new Base64BinaryType(sha256));
                    content.getHashElement().addExtension(FhirCodes.EXT_IMAGE_SHA256,
                            new StringType(image.sha256().toLowerCase(java.util.Locale.ROOT)));
                }
                m.setContent(content);
                made.add(m);
            }
            return made;
        }

        private static byte[] sha256(String hex) {
            if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) return null;
            return HexFormat.of().parseHex(hex);
        }

        // ---- Side effects --------------------------------------------------------------------------------

        private List<Resource> adverseEvent(HistoryView.Entry e, SideEffectReported s, boolean voided) {
            AdverseEvent ae = new AdverseEvent();
            ae.setId(id(s.sideEffectId() != null ? s.sideEffectId() : e.entryId()));
            ae.setIdentifier(entryIdentifier(e.entryId()));
            ae.setActuality(AdverseEvent.AdverseEventActuality.ACTUAL);
            if (s.type() != null) ae.setEvent(FhirCodes.concept(FhirCodes.SIDE_EFFECT, s.type()));
            ae.setSubject(patientRef);
            ae.setDateElement(dateTime(e.occurredAt()));
            ae.setRecordedDateElement(dateTime(e.recordedAt()));
            if (e.recordedBy() != null) ae.setRecorder(user(e.recordedBy()));
            if (s.severity() != null) {
                String code = s.severity().name().toLowerCase(java.util.Locale.ROOT);
                ae.setSeverity(FhirCodes.concept(FhirCodes.AE_SEVERITY, code,
                        Character.toUpperCase(code.charAt(0)) + code.substring(1)));
            }
            ae.setOutcome(FhirCodes.concept(FhirCodes.AE_OUTCOME, "ongoing", "Ongoing"));
            if (s.zone() != null) {
                ae.addExtension(new Extension(FhirCodes.EXT_AFFECTED_ZONE, FhirCodes.concept(FhirCodes.ZONE, s.zone())));
            }
            if (voided) {
                // R4's AdverseEvent has no status: a voided report is tagged, and its Provenance says NULLIFY.
                ae.getMeta().addTag(new Coding(FhirCodes.STATUS_TAG, "entered-in-error", "entered in error"));
            }
            if (s.sideEffectId() != null && !voided) bySideEffect.put(s.sideEffectId(), ae);
            if (s.relatedEntryId() != null) {
                Resource suspect = visitByEntry.get(s.relatedEntryId());
                if (suspect != null) {
                    ae.addSuspectEntity().setInstance(new Reference(suspect.fhirType() + "/" + suspect.getIdPart()));
                }
            }
            return List.of(ae);
        }

        private void resolution(HistoryView.Entry e, SideEffectResolved r) {
            AdverseEvent ae = r == null ? null : bySideEffect.get(r.sideEffectId());
            if (ae == null) return;
            if (!Boolean.TRUE.equals(e.voided())) {
                ae.setOutcome(FhirCodes.concept(FhirCodes.AE_OUTCOME, "resolved", "Resolved"));
                ae.addExtension(new Extension(FhirCodes.EXT_RESOLVED_AT, dateTime(e.occurredAt())));
            }
            byEntry.put(e.entryId(), List.of(ae));
            provenances.add(provenance(e, List.of(ae), "UPDATE", "revise"));
        }

        // ---- Cycle factors and movement returns ----------------------------------------------------------

        private List<Resource> cycleFactor(HistoryView.Entry e, CycleFactorReported f, boolean voided) {
            Observation o = observation(e, voided, "CYCLE_FACTOR", "cycle factor");
            if (f.factor() != null) o.setValue(FhirCodes.concept(FhirCodes.CYCLE_FACTOR, f.factor()));
            return List.of(o);
        }

        private List<Resource> movementReturn(HistoryView.Entry e, MovementReturnObserved m, boolean voided) {
            Observation o = observation(e, voided, "MOVEMENT_RETURN", "movement return");
            for (Site site : m.sites()) {
                o.addComponent().setCode(FhirCodes.concept(FhirCodes.ENTRY, "MOVEMENT_RETURN_SITE", "site where movement returned"))
                        .setValue(FhirCodes.concept(FhirCodes.SITE, site));
            }
            return List.of(o);
        }

        private Observation observation(HistoryView.Entry e, boolean voided, String code, String display) {
            Observation o = new Observation();
            o.setId(id(e.entryId()));
            o.addIdentifier(entryIdentifier(e.entryId()));
            o.setStatus(voided ? Observation.ObservationStatus.ENTEREDINERROR : Observation.ObservationStatus.FINAL);
            o.setCode(FhirCodes.concept(FhirCodes.ENTRY, code, display));
            o.setSubject(patientRef);
            o.setEffective(dateTime(e.occurredAt()));
            if (e.recordedBy() != null) o.addPerformer(user(e.recordedBy()));
            return o;
        }

        // ---- Provenance ----------------------------------------------------------------------------------

        private Provenance provenance(HistoryView.Entry e, List<Resource> targets, String activity, String entityRole) {
            Provenance p = new Provenance();
            p.setId(id(e.entryId() + "-provenance"));
            for (Resource target : targets) p.addTarget(new Reference(target.fhirType() + "/" + target.getIdPart()));
            p.setOccurred(dateTime(e.occurredAt()));
            p.setRecordedElement(new InstantType(Date.from(e.recordedAt()), TemporalPrecisionEnum.MILLI, UTC));
            p.setActivity(FhirCodes.concept(FhirCodes.DATA_OPERATION, activity, switch (activity) {
                case "CREATE" -> "create";
                case "UPDATE" -> "revise";
                default -> "nullify";
            }));
            Provenance.ProvenanceAgentComponent recorder = p.addAgent()
                    .setType(FhirCodes.concept(FhirCodes.PARTICIPANT_TYPE, "enterer", "Enterer"))
                    .setWho(user(e.recordedBy() != null ? e.recordedBy() : "unknown"));
            Objects.requireNonNull(recorder);
            p.addEntity().setRole(Provenance.ProvenanceEntityRole.fromCode(entityRole.equals("create") ? "source" : "revision"))
                    .setWhat(new Reference().setIdentifier(entryIdentifier(e.entryId())).setDisplay("ledger entry "
                            + e.entryId() + " (" + e.type() + ")"));
            List<HistoryView.Override> overrides = e.overrides() != null ? e.overrides()
                    : e.override() != null ? List.of(e.override()) : List.of();
            for (HistoryView.Override o : overrides) {
                Extension ext = new Extension(FhirCodes.EXT_OVERRIDE);
                if (o.rule() != null) ext.addExtension("rule", new Coding(FhirCodes.RULE, o.rule().name(), FhirCodes.words(o.rule())));
                if (o.reason() != null) ext.addExtension("reason", new StringType(o.reason()));
                if (o.earliestAllowed() != null) ext.addExtension("earliestAllowed", day(o.earliestAllowed()));
                if (o.entryId() != null) ext.addExtension("overrideEntryId", new StringType(o.entryId()));
                p.addExtension(ext);
                if (o.by() != null) {
                    p.addAgent().setType(FhirCodes.concept(FhirCodes.PARTICIPANT_TYPE, "verifier", "Verifier"))
                            .setWho(user(o.by()));
                }
            }
            Seal seal = seals.get(e.entryId());
            if (seal != null) {
                Extension ext = new Extension(FhirCodes.EXT_SEAL);
                ext.addExtension("leafIndex", new DecimalType(seal.leafIndex()));
                ext.addExtension("treeSize", new DecimalType(seal.treeSize()));
                ext.addExtension("rootHash", new Base64BinaryType(seal.rootHashBase64()));
                if (seal.origin() != null) ext.addExtension("origin", new StringType(seal.origin()));
                p.addExtension(ext);
            }
            return p;
        }

        private void correction(HistoryView.Entry e) {
            JsonNode details = e.details();
            String target = details == null || details.get("targetEntryId") == null ? null : details.get("targetEntryId").asText();
            List<Resource> targets = target == null ? null : byEntry.get(target);
            if (targets == null || targets.isEmpty()) return;
            boolean isVoid = details.get("action") != null && "VOID".equals(details.get("action").asText());
            Provenance p = provenance(e, targets, isVoid ? "NULLIFY" : "UPDATE", "revise");
            JsonNode reason = details.get("reason");
            if (reason != null && !reason.isNull()) p.addReason(new CodeableConcept().setText(reason.asText()));
            provenances.add(p);
        }
    }

    // ---- shared small shapes ---------------------------------------------------------------------------------

    private static Identifier entryIdentifier(String entryId) {
        return new Identifier().setSystem(FhirCodes.ENTRY_ID).setValue(entryId);
    }

    /** A ledger user (the authenticated name that recorded, injected or operated): no Practitioner resource exists. */
    private static Reference user(String name) {
        return new Reference().setType("Practitioner")
                .setIdentifier(new Identifier().setSystem(FhirCodes.USER).setValue(name)).setDisplay(name);
    }

    private static Quantity units(BigDecimal value, Product product) {
        return new Quantity().setValue(value).setUnit(FhirCodes.unitDisplay(product))
                .setSystem(FhirCodes.PRODUCT_UNIT).setCode(product.name());
    }

    private static Quantity ucum(BigDecimal value, String unit, String code) {
        return new Quantity().setValue(value).setUnit(unit).setSystem(FhirCodes.UCUM).setCode(code);
    }

    private static DateTimeType dateTime(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.SECOND, UTC);
    }

    private static DateType day(LocalDate date) {
        return new DateType(date.toString());
    }

    /**
     * A FHIR id from a ledger id: as it is when it is one (UUIDs are), else a name-based UUID of it, so ids stay
     * stable across exports.
     */
    static String id(String ledgerId) {
        if (FHIR_ID.matcher(ledgerId).matches()) return ledgerId;
        return UUID.nameUUIDFromBytes(ledgerId.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
