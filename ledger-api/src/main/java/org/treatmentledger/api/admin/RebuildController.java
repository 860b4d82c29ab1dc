package org.treatmentledger.api.admin;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.treatmentledger.api.web.NotFoundException;
import org.treatmentledger.projections.rebuild.ReadModelRebuilds;
import org.treatmentledger.projections.rebuild.RebuildProgress;
import org.treatmentledger.projections.rebuild.UnknownReadModelException;

import java.net.URI;
import java.util.List;

/**
 * Read-model rebuilds (CLINICIAN only): replays one read model from the event store on this node. Starting
 * answers 202 at once; the GET endpoints report progress. In a cluster, stop the processor on the other nodes
 * first, or the token reset is refused (409).
 */
@RestController
@RequestMapping("/api/admin/rebuilds")
public class RebuildController {

    private final ReadModelRebuilds rebuilds;

    public RebuildController(ReadModelRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @GetMapping
    public List<RebuildProgress> all() {
        return rebuilds.readModels().stream().map(rebuilds::progress).toList();
    }

    @GetMapping("/{group}")
    public RebuildProgress progress(@PathVariable String group) {
        try {
            return rebuilds.progress(group);
        } catch (UnknownReadModelException e) {
            throw new NotFoundException("READ_MODEL_NOT_FOUND", e.getMessage());
        }
    }

    @PostMapping("/{group}")
    public ResponseEntity<RebuildProgress> rebuild(@PathVariable String group) {
        RebuildProgress started;
        try {
            started = rebuilds.rebuild(group);
        } catch (UnknownReadModelException e) {
            throw new NotFoundException("READ_MODEL_NOT_FOUND", e.getMessage());
        } catch (RuntimeException e) {
            // e.g. another node still holds a segment's claim
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "The read model '" + group + "' could not be reset on this node: stop its processor on every other node first");
        }
        return ResponseEntity.accepted().location(URI.create("/api/admin/rebuilds/" + group)).body(started);
    }
}
