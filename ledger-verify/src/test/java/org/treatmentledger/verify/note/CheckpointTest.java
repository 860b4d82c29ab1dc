package org.treatmentledger.verify.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    /** The example note text of c2sp.org/tlog-checkpoint. */
    private static final String SPEC_TEXT = "example.com/behind-the-sofa\n20852163\n"
            + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    @Test
    void parsesAndFormatsTheSpecExample() {
        Checkpoint checkpoint = Checkpoint.parse(SPEC_TEXT);

        assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(checkpoint.treeSize()).isEqualTo(20_852_163L);
        assertThat(checkpoint.rootHash()).isEqualTo(Base64.getDecoder().decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));
        assertThat(checkpoint.text()).isEqualTo(SPEC_TEXT);
    }

    @Test
    void aSignedCheckpointIsASignedNoteWithTheContractsLayout() throws Exception {
        NoteSigner signer = NoteSigner.generate("ledger.example/treatments", new SecureRandom());
        Checkpoint checkpoint = new Checkpoint("ledger.example/treatments", 1043, new byte[32]);
        String note = checkpoint.sign(signer).format();

        String[] lines = note.split("\n", -1);
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).isEqualTo("ledger.example/treatments");
        assertThat(lines[1]).isEqualTo("1043");
        assertThat(lines[2]).isEqualTo("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertThat(lines[3]).isEmpty();
        assertThat(lines[4]).startsWith("\u2014 ledger.example/treatments ");
        assertThat(lines[5]).isEmpty();
        NoteVerifier.OpenedNote opened = NoteVerifier.of(signer.verifierKey()).open(note);
        assertThat(Checkpoint.parse(opened.text())).isEqualTo(checkpoint);
    }

    @Test
    void extensionLinesAreKept() {
        Checkpoint checkpoint = Checkpoint.parse(SPEC_TEXT + "ext one\n");
        assertThat(checkpoint.extensions()).containsExactly("ext one");
        assertThat(checkpoint.text()).isEqualTo(SPEC_TEXT + "ext one\n");
    }

    @Test
    void refusesMalformedCheckpoints() {
        String root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
        for (String bad : List.of(
                "origin\n5\n" + root,                    // no final newline
                "origin\n5\n",                           // no root hash line
                "\n5\n" + root + "\n",                   // empty origin
                "origin\n05\n" + root + "\n",            // leading zero
                "origin\n-5\n" + root + "\n",            // negative
                "origin\n+5\n" + root + "\n",
                "origin\n99999999999999999999\n" + root + "\n",
                "origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",   // unpadded
                "origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",  // stray low bits
                "origin\n5\nAAAA\n",                     // not 32 bytes
                "origin\n5\n" + root + "\n\n")) {        // empty extension line
            assertThatThrownBy(() -> Checkpoint.parse(bad)).as(bad).isInstanceOf(NoteFormatException.class);
        }
        assertThat(Checkpoint.parse("origin\n0\n" + root + "\n").treeSize()).isZero();
    }
}
