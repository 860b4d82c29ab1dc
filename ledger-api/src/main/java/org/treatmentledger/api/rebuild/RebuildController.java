package org.treatmentledger.api.rebuild;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.treatmentledger.api.http.LedgerGateway;
import org.treatmentledger.api.http.NotFoundException;
import org.treatmentledger.api.http.Problems;
import org.treatmentledger.projections.rebuild.UnknownReadModelException;

import java.net.URI;
import java.util.List;

/**
 * Read-model rebuilds (CLINICIAN only), cluster-wide: a POST on any node records the request and answers 202 at
 * once; every node stops the read models' processor, the receiving node resets its tokens once all claims are
 * released and (JDBC event store) fills the rows in bulk, and every node starts the processor again (see
 * {@link ClusterRebuilds}). The six read models share one processor, so a rebuild of any of them rebuilds all six.
 * GET reports this node's processor (running, replaying, stage BULK_COPY or REPLAYING, percent) and the latest
 * request (PENDING, COPYING, RUNNING or FAILED, which nodes acknowledged).
 */
@RestController
@RequestMapping("/api/admin/rebuilds")
@Tag(name = "Admin", description = "Read-model rebuilds (CLINICIAN only)")
public class RebuildController {

    private final ClusterRebuilds rebuilds;

    public RebuildController(ClusterRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @GetMapping
    @Operation(summary = "Every read model's processor on this node and the latest rebuild request", description = "Role: CLINICIAN.")
    public List<ClusterRebuilds.Status> all() {
        return rebuilds.all();
    }

    @GetMapping("/{group}")
    @Operation(summary = "One read model's rebuild progress (stage, percent) and latest request", description = "Role: CLINICIAN.")
    public ClusterRebuilds.Status progress(@PathVariable String group) {
        try {
            return rebuilds.status(group);
        } catch (UnknownReadModelException e) {
            throw new NotFoundException("READ_MODEL_NOT_FOUND", e.getMessage());
        }
    }

    @PostMapping("/{group}")
    @Operation(summary = "Request a cluster-wide rebuild of the read models",
            description = "Answers at once; every node takes part. The six read models share one processor, so a "
                    + "rebuild of any of them rebuilds all six. 409 REBUILD_PENDING while one is pending. Role: CLINICIAN.")
    @ApiResponse(responseCode = "202", description = "Requested; follow it at Location", useReturnTypeSchema = true,
            headers = @Header(name = "Location", required = true, description = "The rebuild's progress resource",
                    schema = @Schema(type = "string", format = "uri-reference")))
    public ResponseEntity<ClusterRebuilds.Status> rebuild(@PathVariable String group) {
        ClusterRebuilds.Status requested;
        try {
            requested = rebuilds.request(group, LedgerGateway.currentUser());
        } catch (UnknownReadModelException e) {
            throw new NotFoundException("READ_MODEL_NOT_FOUND", e.getMessage());
        }
        return ResponseEntity.accepted().location(URI.create("/api/admin/rebuilds/" + group)).body(requested);
    }

    @ExceptionHandler(ClusterRebuilds.RebuildPendingException.class)
    ResponseEntity<ProblemDetail> pending(ClusterRebuilds.RebuildPendingException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.CONFLICT, "REBUILD_PENDING", "Rebuild already pending",
                e.getMessage() + "; follow it with GET /api/admin/rebuilds/{group}");
        problem.setProperty("code", "REBUILD_PENDING");
        return Problems.entity(problem);
    }
}
