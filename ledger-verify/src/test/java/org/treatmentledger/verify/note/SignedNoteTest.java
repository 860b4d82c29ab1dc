package org.treatmentledger.verify.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.nio.charset.StandardCharsets;

/**
 * Signed notes against published vectors: golang.org/x/mod/sumdb/note's note_test.go (TestSign, TestOpen,
 * TestVerifierList: the PeterNeumann and EnochRoot keys and signatures) and the example of c2sp.org/signed-note
 * (section "Verifier keys", example.com/foo). Ed25519 signatures are deterministic, so signing the same text with
 * the published private key must give the published signature exactly.
 */
class SignedNoteTest {

    private static final String PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private static final String ENOCH_SIG = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    private static final String C2SP_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    private static final String C2SP_NOTE = "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    @Test
    void signsTheGoVectorExactly() {
        NoteSigner peter = NoteSigner.parse(PETER_SKEY);

        assertThat(SignedNote.sign(TEXT, peter).format()).isEqualTo(TEXT + "\n" + PETER_SIG);
        assertThat(peter.verifierKey().format()).isEqualTo(PETER_VKEY);
        assertThat(peter.formatPrivateKey()).isEqualTo(PETER_SKEY);
        assertThat(NoteKeys.hex(peter.keyId())).isEqualTo("c74f20a3");
    }

    @Test
    void keyIdsAreComputedAsTheSpecRecommends() {
        // The vkeys' key IDs are published; recomputing them from name and key must agree.
        for (String vkey : List.of(PETER_VKEY, ENOCH_VKEY, C2SP_VKEY)) {
            VerifierKey key = VerifierKey.parse(vkey);
            assertThat(NoteKeys.ed25519KeyId(key.name(), key.publicKey())).isEqualTo(key.keyId());
            assertThat(key.format()).isEqualTo(vkey);
        }
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(NoteFormatException.class);
    }

    @Test
    void opensTheSpecAndGoVectors() throws Exception {
        NoteVerifier.OpenedNote c2sp = NoteVerifier.of(VerifierKey.parse(C2SP_VKEY)).open(C2SP_NOTE);
        assertThat(c2sp.text()).isEqualTo("This is an example message.\n");

        NoteVerifier.OpenedNote both = NoteVerifier.of(VerifierKey.parse(PETER_VKEY), VerifierKey.parse(ENOCH_VKEY))
                .open(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        assertThat(both.text()).isEqualTo(TEXT);
        assertThat(both.verified()).extracting(NoteSignature::name).containsExactly("PeterNeumann", "EnochRoot");
    }

    @Test
    void signaturesOfUnknownKeysAreIgnoredButOneTrustedSignatureIsNeeded() throws Exception {
        NoteVerifier peterOnly = NoteVerifier.of(VerifierKey.parse(PETER_VKEY));
        NoteVerifier.OpenedNote opened = peterOnly.open(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        assertThat(opened.verified()).extracting(NoteSignature::name).containsExactly("PeterNeumann");
        assertThat(opened.unknown()).extracting(NoteSignature::name).containsExactly("EnochRoot");

        assertThatThrownBy(() -> NoteVerifier.of(VerifierKey.parse(ENOCH_VKEY)).open(TEXT + "\n" + PETER_SIG))
                .isInstanceOf(NoteVerificationException.class)
                .satisfies(e -> assertThat(((NoteVerificationException) e).reason())
                        .isEqualTo(NoteVerificationException.Reason.NO_TRUSTED_SIGNATURE));
    }

    @Test
    void rotationWithTwoTrustedKeys() throws Exception {
        SecureRandom random = new SecureRandom();
        NoteSigner old = NoteSigner.generate("ledger.example/treatments", random);
        NoteSigner current = NoteSigner.generate("ledger.example/treatments", random);
        NoteVerifier duringRotation = NoteVerifier.of(old.verifierKey(), current.verifierKey());

        // Notes signed by either key, or by both while the rotation overlaps, verify.
        assertThat(duringRotation.open(SignedNote.sign(TEXT, old).format()).verified()).hasSize(1);
        assertThat(duringRotation.open(SignedNote.sign(TEXT, current).format()).verified()).hasSize(1);
        assertThat(duringRotation.open(SignedNote.sign(TEXT, old, current).format()).verified()).hasSize(2);
        // After the rotation, a verifier that trusts only the new key refuses notes signed only by the old one.
        NoteVerifier afterRotation = NoteVerifier.of(current.verifierKey());
        assertThatThrownBy(() -> afterRotation.open(SignedNote.sign(TEXT, old).format()))
                .isInstanceOf(NoteVerificationException.class);
        assertThat(afterRotation.open(SignedNote.sign(TEXT, old, current).format()).unknown()).hasSize(1);
    }

    @Test
    void aNoteSignedByAnotherKeyOfTheSameNameFails() {
        NoteSigner real = NoteSigner.generate("ledger.example/treatments", new SecureRandom());
        NoteSigner forger = NoteSigner.generate("ledger.example/treatments", new SecureRandom());

        assertThatThrownBy(() -> NoteVerifier.of(real.verifierKey()).open(SignedNote.sign(TEXT, forger).format()))
                .isInstanceOf(NoteVerificationException.class)
                .hasMessageContaining("not signed by any trusted key");
    }

    @Test
    void aForgedSignatureUnderATrustedKeyIdFails() {
        NoteSigner real = NoteSigner.generate("ledger.example/treatments", new SecureRandom());
        NoteSigner forger = NoteSigner.generate("ledger.example/treatments", new SecureRandom());
        // The forger's signature bytes under the real key's name and ID: the key is known, so it must verify.
        NoteSignature forged = new NoteSignature(real.name(), real.keyId(), forger.sign(TEXT).signature());

        assertThatThrownBy(() -> NoteVerifier.of(real.verifierKey()).open(new SignedNote(TEXT, List.of(forged))))
                .isInstanceOf(NoteVerificationException.class)
                .satisfies(e -> assertThat(((NoteVerificationException) e).reason())
                        .isEqualTo(NoteVerificationException.Reason.BAD_SIGNATURE));
    }

    @Test
    void aChangedLineFails() {
        NoteVerifier peter = NoteVerifier.of(VerifierKey.parse(PETER_VKEY));
        String changedLine = TEXT.replace("answer", "answers");
        String extraLine = TEXT + "and that is all.\n";
        String lostNewline = TEXT.substring(0, TEXT.length() - 1) + " \n";

        for (String text : List.of(changedLine, extraLine, lostNewline)) {
            assertThatThrownBy(() -> peter.open(text + "\n" + PETER_SIG)).as(text)
                    .isInstanceOf(NoteVerificationException.class)
                    .satisfies(e -> assertThat(((NoteVerificationException) e).reason())
                            .isEqualTo(NoteVerificationException.Reason.BAD_SIGNATURE));
        }
    }

    @Test
    void everySingleCharacterChangeOfASignedNoteFails() {
        NoteVerifier peter = NoteVerifier.of(VerifierKey.parse(PETER_VKEY));
        String note = TEXT + "\n" + PETER_SIG;
        for (int i = 0; i < note.length(); i++) {
            String changed = note.substring(0, i) + (char) (note.charAt(i) ^ 1) + note.substring(i + 1);
            assertThatThrownBy(() -> peter.open(changed)).as("character %d", i)
                    .isInstanceOf(NoteVerificationException.class);
        }
    }

    @Test
    void malformedNotesAreRefused() {
        NoteVerifier peter = NoteVerifier.of(VerifierKey.parse(PETER_VKEY));
        // The malformed messages of golang.org/x/mod/sumdb/note's TestOpen.
        List<String> bad = List.of(
                TEXT,
                TEXT + "\n",
                TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
                "\u0001" + TEXT + "\n" + PETER_SIG,
                TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
                // And: a hyphen instead of the em dash, unpadded base64, too many signatures.
                TEXT + "\n" + PETER_SIG.replace("\u2014", "-"),
                TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),
                TEXT + "\n" + PETER_SIG.repeat(101));
        for (String message : bad) {
            assertThatThrownBy(() -> peter.open(message)).isInstanceOf(NoteVerificationException.class)
                    .satisfies(e -> assertThat(((NoteVerificationException) e).reason())
                            .isEqualTo(NoteVerificationException.Reason.MALFORMED));
        }
        // Invalid UTF-8 bytes never become a note.
        byte[] bytes = (TEXT + "\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8);
        bytes[0] = (byte) 0xFF;
        assertThatThrownBy(() -> SignedNote.parse(bytes)).isInstanceOf(NoteFormatException.class);
    }

    @Test
    void keyNamesFollowTheSpec() {
        assertThat(NoteText.isValidName("ledger.example/treatments")).isTrue();
        for (String bad : List.of("", "a b", "a+b", "a\u00a0b", "a\u2003b", "a\tb")) {
            assertThat(NoteText.isValidName(bad)).as("'%s'", bad).isFalse();
        }
    }
}
